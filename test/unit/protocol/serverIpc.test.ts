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

  it('carries key changes: rotate and change-password, answered epoch-started or epoch-failed', () => {
    assert.deepStrictEqual(parseParentMessage({ type: 'rotate' }), { ok: true, value: { type: 'rotate' } });
    assert.deepStrictEqual(parseParentMessage({ type: 'change-password', password: 'new' }), { ok: true, value: { type: 'change-password', password: 'new' } });
    assert.deepStrictEqual(parseParentMessage({ type: 'change-password', password: '' }), { ok: false, error: '"password" must be a string of 1-4096 characters' });
    assert.deepStrictEqual(parseServerMessage({ type: 'epoch-started', change: 'rotate', epoch: 3 }), { ok: true, value: { type: 'epoch-started', change: 'rotate', epoch: 3 } });
    assert.deepStrictEqual(parseServerMessage({ type: 'epoch-started', change: 'rotate', epoch: -1 }), { ok: false, error: '"epoch" must be an integer from 0 to 4294967295' });
    assert.deepStrictEqual(parseServerMessage({ type: 'epoch-failed', change: 'grow', message: 'x' }), { ok: false, error: '"change" must be a known key change' });
  });
});
