import * as assert from 'assert';
import { statusBarText } from '../../../../src/host/rules/statusBarText';

describe('status bar text', () => {
  it('one text per state, theme error colours only for errors, a click that fits', () => {
    const address = 'ws://127.0.0.1:7777';
    const server = { address, roomId: '0123456789abcdef0123' };
    assert.deepStrictEqual(
      [undefined, { status: 'connecting' as const }, { status: 'connected' as const }].map((connection) => statusBarText({ connection, address, online: ['a', 'b'], server: undefined }).text),
      ['$(debug-disconnect) Secure Chat: offline', '$(sync~spin) Secure Chat: connecting…', '$(comment-discussion) Secure Chat: 2 online'],
    );
    const reconnecting = statusBarText({ connection: { status: 'reconnecting', attempt: 3, inMs: 8000, reason: 'connect ECONNREFUSED 127.0.0.1:7777' }, address, online: [], server });
    assert.strictEqual(reconnecting.text, '$(server) $(sync~spin) Secure Chat: reconnecting…');
    assert.match(reconnecting.tooltip, /Reconnecting to ws:\/\/127\.0\.0\.1:7777 in 8 s \(attempt 3\): Nothing answers at this address/);
    assert.match(reconnecting.tooltip, /room 0123456789ab…/);
    const failed = statusBarText({ connection: { status: 'error', kind: 'auth-failed', message: 'rejected' }, address, online: [], server: undefined });
    assert.deepStrictEqual([failed.text, failed.error, failed.command], ['$(error) Secure Chat: wrong password', true, 'secureChat.openChat']);
    assert.strictEqual(statusBarText({ connection: undefined, address: undefined, online: [], server: undefined }).command, 'secureChat.connect');
    assert.strictEqual(statusBarText({ connection: undefined, address: undefined, online: [], server }).kind, 'server');
    assert.strictEqual(statusBarText({ connection: undefined, address: undefined, online: [], server }).text, '$(server) Secure Chat: server running');
  });
});
