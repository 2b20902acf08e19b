// CPace against draft-irtf-cfrg-cpace-21: the string functions of appendix A and every
// ristretto255/SHA-512 vector of appendix B.3, read from the draft's own text (copied unmodified
// into test/fixtures/vectors/cpace), both its BASE64 JSON blocks and its printed intermediate values.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ristretto255 } from '@noble/curves/ed25519.js';
import {
  CPACE_DSI, calculateGenerator, generatorString, intermediateSessionKey, lvCat, prependLen, scalarMult, scalarMultVfy,
  sessionIdOutput, transcriptIr,
} from '../../../src/crypto/cpace';
import { hex, repoRoot } from './fixtures';

interface DraftText {
  /** The BASE64 JSON block of each "Testvectors as JSON file encoded as BASE64" section, by section number. */
  readonly json: Record<string, Record<string, unknown>>;
  /** The hex value printed under the first line containing `label`. */
  printed(label: string): Buffer;
}

function readDraft(name: string): DraftText {
  const lines = fs.readFileSync(path.join(repoRoot, 'test/fixtures/vectors/cpace', name), 'utf8').split('\n');
  const json: Record<string, Record<string, unknown>> = {};
  let section: string | null = null;
  let base64 = '';
  const close = () => {
    if (section) json[section] = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as Record<string, unknown>;
  };
  for (const line of lines) {
    const heading = /^([A-Z]\.[\d.]+?)\.?\s+(.*)$/.exec(line);
    if (heading) {
      close();
      section = heading[2].includes('encoded as BASE64') ? heading[1] : null;
      base64 = '';
    } else if (section && line.trim().startsWith('#')) {
      base64 += line.trim().slice(1);
    }
  }
  close();
  return {
    json,
    printed(label) {
      const at = lines.findIndex((line) => line.includes(label));
      assert.ok(at >= 0, `${name} prints "${label}"`);
      let value = '';
      for (const line of lines.slice(at + 1)) {
        if (/^\s*\(length: \d+ bytes\)\s*$/.test(line)) continue;
        if (!/^\s+[0-9a-f]+\s*$/.test(line)) break;
        value += line.trim();
      }
      assert.ok(value.length > 0, `a hex value under "${label}"`);
      return hex(value);
    },
  };
}

const a = readDraft('draft-irtf-cfrg-cpace-21-appendix-A.1-A.3.txt');
const b3 = readDraft('draft-irtf-cfrg-cpace-21-appendix-B.3.txt');
const field = (block: Record<string, unknown>, key: string): Buffer => {
  assert.strictEqual(typeof block[key], 'string', `vector field ${key}`);
  return hex(block[key] as string);
};

/** o_cat and transcript_oc (appendix A.3): only the parallel-mode vectors need them; secure-chat runs initiator-responder. */
function transcriptOc(ya: Buffer, ada: Buffer, yb: Buffer, adb: Buffer): Buffer {
  const first = lvCat(ya, ada);
  const second = lvCat(yb, adb);
  const [larger, smaller] = Buffer.compare(first, second) > 0 ? [first, second] : [second, first];
  return Buffer.concat([Buffer.from('oc', 'ascii'), larger, smaller]);
}

describe('CPace: draft-irtf-cfrg-cpace-21 vectors', () => {
  it('A.1: prepend_len and lv_cat', () => {
    const prepend = a.json['A.1.2.1'];
    assert.strictEqual(prependLen(Buffer.alloc(0)).toString('hex'), (prepend["prepend_len(b'')"] as string).toLowerCase());
    assert.deepStrictEqual(prependLen(field(prepend, "b'1234'")), field(prepend, "prepend_len(b'1234')"));
    const range = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i));
    assert.deepStrictEqual(prependLen(range(127)), field(prepend, 'prepend_len(bytes(range(127)))'));
    assert.deepStrictEqual(prependLen(range(128)), field(prepend, 'prepend_len(bytes(range(128)))'));
    const lv = a.json['A.1.4.1'];
    assert.deepStrictEqual(
      lvCat(field(lv, "b'1234'"), field(lv, "b'5'"), Buffer.alloc(0), field(lv, "b'678'")),
      field(lv, "lv_cat(b'1234',b'5',b'',b'678')"),
    );
  });

  it('A.3: transcript_ir (and the o_cat of the parallel-mode vectors)', () => {
    const ir = a.json['A.3.5.1'];
    const v = (key: string) => field(ir, `b'${key}'`);
    assert.deepStrictEqual(transcriptIr(v('123'), v('PartyA'), v('234'), v('PartyB')), field(ir, "transcript_ir(b'123',b'PartyA',b'234',b'PartyB')"));
    assert.deepStrictEqual(transcriptIr(v('3456'), v('PartyA'), v('2345'), v('PartyB')), field(ir, "transcript_ir(b'3456',b'PartyA',b'2345',b'PartyB')"));
    const oc = a.json['A.3.7.1'];
    assert.deepStrictEqual(transcriptOc(v('123'), v('PartyA'), v('234'), v('PartyB')), field(oc, "transcript_oc(b'123',b'PartyA',b'234',b'PartyB')"));
    assert.deepStrictEqual(transcriptOc(v('3456'), v('PartyA'), v('2345'), v('PartyB')), field(oc, "transcript_oc(b'3456',b'PartyA',b'2345',b'PartyB')"));
  });

  it('B.3.1: generator string, its SHA-512 and the encoded generator', () => {
    const gen = b3.json['B.3.1.1'];
    assert.strictEqual(gen.H, 'SHA-512');
    assert.strictEqual(gen['H.s_in_bytes'], 128);
    assert.deepStrictEqual(field(gen, 'DSI'), CPACE_DSI);
    const prs = field(gen, 'PRS');
    const ci = field(gen, 'CI');
    const sid = field(gen, 'sid');
    const genStr = generatorString(prs, ci, sid);
    assert.deepStrictEqual(genStr, field(gen, 'generator_string(G.DSI,PRS,CI,sid,H.s_in_bytes)'));
    assert.deepStrictEqual(genStr, b3.printed('generator_string(G.DSI,PRS,CI,sid,H.s_in_bytes)'));
    assert.strictEqual(genStr.length - prependLen(CPACE_DSI).length - prependLen(prs).length - 1 - prependLen(ci).length - prependLen(sid).length, gen['ZPAD length']);
    const hash = createHash('sha512').update(genStr).digest();
    assert.deepStrictEqual(hash, field(gen, 'hash result'));
    assert.deepStrictEqual(hash, b3.printed('hash result'));
    const g = Buffer.from(calculateGenerator(prs, ci, sid).toBytes());
    assert.deepStrictEqual(g, field(gen, 'encoded generator g'));
    assert.deepStrictEqual(g, b3.printed('encoded generator g'));
  });

  describe('B.3.2 to B.3.7: one full run', () => {
    const run = b3.json['B.3.9'];
    const g = () => calculateGenerator(field(run, 'PRS'), field(run, 'CI'), field(run, 'sid'));

    it('the JSON block and the printed values agree on the inputs', () => {
      assert.deepStrictEqual(field(run, 'g'), b3.printed('encoded generator g'));
      assert.deepStrictEqual(field(run, 'ya'), b3.printed('ya (little endian)'));
      assert.deepStrictEqual(field(run, 'yb'), b3.printed('yb (little endian)'));
      assert.deepStrictEqual(field(run, 'ADa'), Buffer.from('ADa'));
      assert.deepStrictEqual(field(run, 'ADb'), Buffer.from('ADb'));
    });

    it('B.3.2 and B.3.3: messages Ya and Yb', () => {
      assert.deepStrictEqual(Buffer.from(g().toBytes()), field(run, 'g'));
      const ya = scalarMult(field(run, 'ya'), g());
      assert.deepStrictEqual(ya, field(run, 'Ya'));
      assert.deepStrictEqual(ya, b3.printed('Ya: (length: 32 bytes)'));
      const yb = scalarMult(field(run, 'yb'), g());
      assert.deepStrictEqual(yb, field(run, 'Yb'));
      assert.deepStrictEqual(yb, b3.printed('Yb: (length: 32 bytes)'));
    });

    it('B.3.4: K from both sides', () => {
      const fromA = scalarMultVfy(field(run, 'ya'), field(run, 'Yb'));
      const fromB = scalarMultVfy(field(run, 'yb'), field(run, 'Ya'));
      assert.deepStrictEqual(fromA, field(run, 'K'));
      assert.deepStrictEqual(fromB, field(run, 'K'));
      assert.deepStrictEqual(fromA, b3.printed('scalar_mult_vfy(ya,Yb)'));
      assert.deepStrictEqual(fromB, b3.printed('scalar_mult_vfy(yb,Ya)'));
    });

    it('B.3.5: transcript_ir, the ISK hash input and ISK (initiator/responder)', () => {
      const transcript = transcriptIr(field(run, 'Ya'), field(run, 'ADa'), field(run, 'Yb'), field(run, 'ADb'));
      assert.deepStrictEqual(transcript, b3.printed('transcript_ir(Ya,ADa,Yb,ADb): (length: 74 bytes)'));
      const dsiIsk = Buffer.concat([CPACE_DSI, Buffer.from('_ISK')]);
      assert.deepStrictEqual(dsiIsk, b3.printed("DSI = G.DSI_ISK, b'CPaceRistretto255_ISK'"));
      assert.deepStrictEqual(
        Buffer.concat([lvCat(dsiIsk, field(run, 'sid'), field(run, 'K')), transcript]),
        b3.printed('lv_cat(DSI,sid,K)||transcript_ir(Ya,ADa,Yb,ADb)'),
      );
      const isk = intermediateSessionKey(field(run, 'sid'), field(run, 'K'), transcript);
      assert.deepStrictEqual(isk, field(run, 'ISK_IR'));
      assert.deepStrictEqual(isk, b3.printed('ISK result'));
    });

    it('B.3.6: ISK for parallel execution (transcript_oc)', () => {
      const transcript = transcriptOc(field(run, 'Ya'), field(run, 'ADa'), field(run, 'Yb'), field(run, 'ADb'));
      assert.deepStrictEqual(transcript, b3.printed('transcript_oc(Ya,ADa,Yb,ADb): (length: 76 bytes)'));
      assert.deepStrictEqual(intermediateSessionKey(field(run, 'sid'), field(run, 'K'), transcript), field(run, 'ISK_SY'));
    });

    it('B.3.7: the optional session id output, both transcripts', () => {
      const ir = transcriptIr(field(run, 'Ya'), field(run, 'ADa'), field(run, 'Yb'), field(run, 'ADb'));
      const oc = transcriptOc(field(run, 'Ya'), field(run, 'ADa'), field(run, 'Yb'), field(run, 'ADb'));
      assert.deepStrictEqual(sessionIdOutput(ir), field(run, 'sid_output_ir'));
      assert.deepStrictEqual(sessionIdOutput(ir), b3.printed('H.hash(b"CPaceSidOutput" + transcript_ir(Ya,ADa, Yb,ADb))'));
      assert.deepStrictEqual(sessionIdOutput(oc), field(run, 'sid_output_oc'));
      assert.deepStrictEqual(sessionIdOutput(oc), b3.printed('H.hash(b"CPaceSidOutput" + transcript_oc(Ya,ADa, Yb,ADb))'));
    });
  });

  it('B.3.10: scalar_mult and scalar_mult_vfy with valid inputs', () => {
    const valid = b3.json['B.3.11.1'].Valid as Record<string, unknown>;
    const point = ristretto255.Point.fromBytes(field(valid, 'X'));
    assert.deepStrictEqual(scalarMult(field(valid, 's'), point), field(valid, 'G.scalar_mult(s,decode(X))'));
    assert.deepStrictEqual(scalarMultVfy(field(valid, 's'), field(valid, 'X')), field(valid, 'G.scalar_mult_vfy(s,X)'));
    assert.deepStrictEqual(field(valid, 's'), b3.printed('s: (length: 32 bytes)'));
    assert.deepStrictEqual(field(valid, 'X'), b3.printed('X: (length: 32 bytes)'));
    assert.deepStrictEqual(field(valid, 'G.scalar_mult_vfy(s,X)'), b3.printed('G.scalar_mult_vfy(s,X): (length: 32 bytes)'));
  });

  it('B.3.11: scalar_mult_vfy returns G.I for the invalid encoding Y_i1 and the identity Y_i2', () => {
    const vectors = b3.json['B.3.11.1'];
    const s = field(vectors.Valid as Record<string, unknown>, 's');
    const identity = Buffer.alloc(32);
    assert.deepStrictEqual(field(vectors, 'Invalid Y1'), b3.printed('Y_i1: (length: 32 bytes)'));
    assert.deepStrictEqual(field(vectors, 'Invalid Y2'), b3.printed('Y_i2 == G.I: (length: 32 bytes)'));
    assert.deepStrictEqual(scalarMultVfy(s, field(vectors, 'Invalid Y1')), identity);
    assert.deepStrictEqual(scalarMultVfy(s, field(vectors, 'Invalid Y2')), identity);
  });
});
