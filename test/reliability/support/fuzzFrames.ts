// Random and malformed client frames for the fuzz test, drawn from a seeded stream. None of them can
// be accepted: mutated envelopes start from envelopes the server already stores (an intact one is
// another member's, signed by its key), fresh valid envelopes are sealed stale or for another room.
import { EpochKeys, IdentityKey, MAX_ENVELOPE_V3_BYTES, MIN_ENVELOPE_BYTES, USERNAME_BLOCK_BYTES, sealSignedMessage } from '../../../src/crypto';
import { NONCE_BYTES, PROOF_BYTES } from '../../support/v1Handshake';
import { encodeBody } from '../../../src/protocol/body';
import { MAX_FRAME_BYTES } from '../../../src/protocol/wire';
import { SeededRandom } from './seededRandom';

export interface FuzzFrame {
  readonly kind: string;
  readonly data: string | Buffer;
  /** A binary WebSocket frame; otherwise text (which may still be invalid UTF-8). */
  readonly binary: boolean;
  /** Stopped by ws before any parser (size limit, invalid UTF-8): the socket is closed, not answered. */
  readonly closes: boolean;
}

export interface FuzzMaterial {
  /** Envelopes the server has stored. */
  readonly stored: readonly Buffer[];
  /** The room's keys, to seal stale envelopes. */
  readonly roomKeys: EpochKeys;
  /** Another room's keys: envelopes valid there fail the MAC here. */
  readonly foreignKeys: EpochKeys;
  /** The fuzzing member's key and name: fresh envelopes are signed as that member, so they reach the stale check. */
  readonly identity: IdentityKey;
  readonly username: string;
}

const MINUTE = 60_000;
/** Numbers no integer field accepts in the place they are put. */
const BAD_NUMBERS = ['0', '-1', '201', '1.5', '-0.5', '1e308', '1e999', '-1e999', '9007199254740993', '18446744073709551616', '"10"', 'null', 'true', '[]', '{}'];
const WRONG_SHAPES = ['[]', '[1,2,3]', '42', '"send"', 'null', 'true', '{}', '{"type":null}', '{"type":"SEND"}', '{"type":"send"}',
  '{"type":["send"]}', '{"type":"history"}', '{"type":"auth"}', '{"type":"welcome","proof":"","online":[],"latestSeq":0}',
  '{"type":"ack","id":"AAAAAAAAAAAAAAAAAAAAAA==","seq":1}', '{"type":"message","seq":1,"envelope":""}', '{"__proto__":{"type":"send"}}',
  '{"type":"history","requestId":"","limit":10}', '{"type":"history","requestId":"x","before":5,"after":1,"limit":10}'];
const WRONG_VALUES = ['1', '-1', '[]', '{}', 'null', 'false', '"%%%"', '["AAAA"]', '{"base64":"AAAA"}'];

const send = (envelope: string) => `{"type":"send","envelope":"${envelope}"}`;
const text = (kind: string, data: string): FuzzFrame => ({ kind, data, binary: false, closes: false });

export class FuzzFrames {
  private readonly generators: [weight: number, make: () => FuzzFrame][] = [
    [10, () => text('garbage-text', this.printable(this.random.between(0, 400)))],
    [1, () => ({ kind: 'invalid-utf8', data: Buffer.concat([this.random.bytes(this.random.between(0, 40)), Buffer.from([0xff])]), binary: false, closes: true })],
    [8, () => ({ kind: 'binary', data: this.random.bytes(this.random.between(0, 600)), binary: true, closes: false })],
    [8, () => {
      const full = send(this.storedBase64());
      return text('truncated-json', full.slice(0, this.random.below(full.length)));
    }],
    [1, () => text('oversized-envelope', send(this.random.bytes(MAX_ENVELOPE_V3_BYTES + this.random.between(1, 3000)).toString('base64')))],
    [0.2, () => ({ kind: 'oversized-frame', data: send('A'.repeat(MAX_FRAME_BYTES + this.random.between(1, 100))), binary: false, closes: true })],
    [8, () => text('wrong-type', this.random.pick([
      `{"type":"send","envelope":${this.random.pick(WRONG_VALUES)}}`,
      `{"type":"auth","nonce":${this.random.pick(WRONG_VALUES)},"user":${this.random.pick(WRONG_VALUES)},"proof":${this.random.pick(WRONG_VALUES)}}`,
      `{"type":"history","requestId":${this.random.pick(WRONG_VALUES.filter((value) => !value.startsWith('"')))},"limit":10}`,
      `{"type":${this.random.pick(WRONG_VALUES)},"envelope":"${this.storedBase64()}"}`,
    ]))],
    [8, () => text('huge-number', this.random.pick([
      `{"type":"history","requestId":"r","limit":${this.random.pick(BAD_NUMBERS)}}`,
      `{"type":"history","requestId":"r","limit":10,"before":${this.random.pick(BAD_NUMBERS.filter((n) => n !== '201'))}}`,
      `{"type":"history","requestId":"r","limit":10,"after":${this.random.pick(BAD_NUMBERS.filter((n) => !['0', '201'].includes(n)))}}`,
    ]))],
    [8, () => text('bad-base64', send(this.corruptBase64(this.storedBase64())))],
    [8, () => text('wrong-length', this.random.pick([
      () => send(this.random.bytes(this.random.between(1, MIN_ENVELOPE_BYTES - 1)).toString('base64')),
      () => this.auth(NONCE_BYTES + this.random.pick([-1, 1, 16]), USERNAME_BLOCK_BYTES, PROOF_BYTES),
      () => this.auth(NONCE_BYTES, USERNAME_BLOCK_BYTES + this.random.pick([-16, -1, 1]), PROOF_BYTES),
      () => this.auth(NONCE_BYTES, USERNAME_BLOCK_BYTES, PROOF_BYTES + this.random.pick([-32, -1, 1])),
      () => this.auth(NONCE_BYTES, USERNAME_BLOCK_BYTES, PROOF_BYTES),
    ])())],
    [8, () => text('wrong-shape', this.random.pick([...WRONG_SHAPES, '['.repeat(5000) + ']'.repeat(5000)]))],
    [16, () => text('mutated-envelope', send(this.mutate(this.random.pick(this.material.stored)).toString('base64')))],
    [4, () => text('stored-envelope', this.random.pick([
      (b64: string) => `{"envelope":"${b64}","type":"send"}`,
      (b64: string) => ` { "type" : "send" , "envelope" : "${b64}" } `,
      (b64: string) => `{"type":"send","envelope":"${b64}","extra":[1,2,3]}`,
    ])(this.storedBase64()))],
    [3, () => text('stale', send(this.seal(this.material.roomKeys, Date.now() + this.random.pick([-1, 1]) * this.random.between(6, 600) * MINUTE)))],
    [3, () => text('foreign-room', send(this.seal(this.material.foreignKeys, Date.now())))],
  ];
  private readonly totalWeight = this.generators.reduce((sum, [weight]) => sum + weight, 0);

  constructor(private readonly random: SeededRandom, private readonly material: FuzzMaterial) {}

  next(): FuzzFrame {
    let point = (this.random.below(1_000_000) / 1_000_000) * this.totalWeight;
    for (const [weight, make] of this.generators) {
      if (point < weight) return make();
      point -= weight;
    }
    return this.generators[0][1]();
  }

  private printable(length: number): string {
    return [...this.random.bytes(length)].map((byte) => String.fromCharCode(0x20 + (byte % 95))).join('');
  }

  private storedBase64(): string {
    return this.random.pick(this.material.stored).toString('base64');
  }

  private auth(nonce: number, user: number, proof: number): string {
    const field = (length: number) => `"${this.random.bytes(length).toString('base64')}"`;
    return `{"type":"auth","nonce":${field(nonce)},"user":${field(user)},"proof":${field(proof)}}`;
  }

  private seal(keys: EpochKeys, timestamp: number): string {
    const { identity, username } = this.material;
    return sealSignedMessage(keys, identity, { username, plaintext: encodeBody({ text: this.printable(20) }), timestamp }).envelope.toString('base64');
  }

  /** Always changes the text: a character outside the alphabet, broken padding, or a cut. */
  private corruptBase64(b64: string): string {
    const at = this.random.below(b64.length);
    return this.random.pick([
      () => `${b64.slice(0, at)}${this.random.pick(['!', ' ', '\\n', '-', '_', '.', '*'])}${b64.slice(at)}`,
      () => `${b64}=`,
      () => b64.slice(0, -1),
      () => b64.replace(/=+$/, ''),
      () => `${b64}${b64.slice(0, 2)}`,
    ])();
  }

  /** Always changes the bytes: flips (non-zero masks), cuts, extensions, splices, zeroed MACs. */
  private mutate(envelope: Buffer): Buffer {
    const copy = Buffer.from(envelope);
    const at = this.random.below(copy.length);
    return this.random.pick([
      () => {
        for (let flips = this.random.between(1, 4); flips > 0; flips--) copy[this.random.below(copy.length)] ^= this.random.between(1, 255);
        // Flips at one index may cancel out; a final flip of a fresh byte keeps the copy different.
        if (copy.equals(envelope)) copy[at] ^= 1;
        return copy;
      },
      () => copy.subarray(0, copy.length - this.random.between(1, 48)),
      () => Buffer.concat([copy, this.random.bytes(this.random.between(1, 48))]),
      () => {
        const other = this.material.stored.find((candidate) => !candidate.equals(envelope)) ?? Buffer.alloc(copy.length);
        return Buffer.concat([copy.subarray(0, at), other.subarray(at)]);
      },
      () => Buffer.concat([copy.subarray(0, copy.length - 32), Buffer.alloc(32)]),
    ])();
  }
}
