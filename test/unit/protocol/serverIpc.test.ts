import * as assert from 'assert';
import { parseParentMessage, parseServerMessage } from '../../../src/protocol/serverIpc';

describe('server IPC', () => {
  it('accepts each message and names the field of a rejection', () => {
    const start = { type: 'start', password: 'pw', host: '127.0.0.1', port: 0, dataDir: '/tmp/x' };
    assert.deepStrictEqual(parseParentMessage({ ...start, extra: true }), { ok: true, value: start });
    assert.deepStrictEqual(parseParentMessage({ type: 'stop' }), { ok: true, value: { type: 'stop' } });
    assert.deepStrictEqual(parseParentMessage({ ...start, port: 65536 }), { ok: false, error: '"port" must be an integer from 0 to 65535' });
    assert.deepStrictEqual(parseParentMessage({ ...start, password: '' }), { ok: false, error: '"password" must be a string of 1-4096 characters' });
    assert.deepStrictEqual(parseServerMessage({ type: 'error', code: 'nope', message: 'x' }), { ok: false, error: '"code" must be a known error code' });
    assert.deepStrictEqual(parseServerMessage({ type: 'listening', address: 'ws://127.0.0.1:1', roomId: 'ab' }), { ok: true, value: { type: 'listening', address: 'ws://127.0.0.1:1', roomId: 'ab' } });
    assert.strictEqual(parseServerMessage(null).ok, false);
  });
});
