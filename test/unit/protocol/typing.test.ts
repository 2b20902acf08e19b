// The typing signal's fixed plaintext and the pace both ends keep (docs/PROTOCOL.md, `typing`).
import * as assert from 'assert';
import { decodeBody } from '../../../src/protocol/body';
import { TYPING_INTERVAL_MS } from '../../../src/protocol/limits';
import { TYPING_PLAINTEXT, TypingPace, isTypingPlaintext } from '../../../src/protocol/typing';

describe('protocol: typing signals', () => {
  it('seals the 15 bytes {"typing":true}, which no message body decodes to', () => {
    assert.strictEqual(Buffer.from(TYPING_PLAINTEXT).toString('utf8'), '{"typing":true}');
    assert.strictEqual(TYPING_PLAINTEXT.length, 15);
    assert.strictEqual(decodeBody(TYPING_PLAINTEXT).ok, false);
  });

  it('recognises exactly that plaintext', () => {
    const texts = ['{"typing":true}', '{"typing":false}', '{"typing":true} ', '{"typinG":true}', ''];
    assert.deepStrictEqual(texts.map((text) => isTypingPlaintext(new TextEncoder().encode(text))), [true, false, false, false, false]);
  });

  it('passes the first signal, none within the interval, and the next one at the interval', () => {
    const pace = new TypingPace();
    assert.deepStrictEqual(
      [0, 1, TYPING_INTERVAL_MS - 1, TYPING_INTERVAL_MS, TYPING_INTERVAL_MS + 1, 2 * TYPING_INTERVAL_MS].map((now) => pace.pass(now)),
      [true, false, false, true, false, true],
    );
  });
});
