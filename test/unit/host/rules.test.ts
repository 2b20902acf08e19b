import * as assert from 'assert';
import { invite, localAddress } from '../../../src/host/invite';
import { notificationText, shouldNotify } from '../../../src/host/notifyRule';
import { snippetBody } from '../../../src/host/snippet';
import { statusBarText } from '../../../src/host/statusBarText';

const LAN = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.20/24' }],
};

describe('host rules', () => {
  it('status bar: one text per state, theme error colours only for errors, a click that fits', () => {
    const address = 'ws://127.0.0.1:7777';
    const server = { address, roomId: '0123456789abcdef0123' };
    assert.deepStrictEqual(
      [undefined, { status: 'connecting' as const }, { status: 'connected' as const }].map((connection) => statusBarText({ connection, address, online: ['a', 'b'], server: undefined }).text),
      ['$(debug-disconnect) Chat offline', '$(sync~spin) Chat connecting…', '$(comment-discussion) 2 online'],
    );
    const reconnecting = statusBarText({ connection: { status: 'reconnecting', attempt: 3, inMs: 8000, reason: 'refused' }, address, online: [], server });
    assert.strictEqual(reconnecting.text, '$(server) $(sync~spin) Chat reconnecting…');
    assert.match(reconnecting.tooltip, /Reconnecting to ws:\/\/127\.0\.0\.1:7777 in 8 s \(attempt 3\): refused/);
    assert.match(reconnecting.tooltip, /room 0123456789ab…/);
    const failed = statusBarText({ connection: { status: 'error', kind: 'auth-failed', message: 'rejected' }, address, online: [], server: undefined });
    assert.deepStrictEqual([failed.text, failed.error, failed.command], ['$(error) Chat: wrong password', true, 'secureChat.openChat']);
    assert.strictEqual(statusBarText({ connection: undefined, address: undefined, online: [], server: undefined }).command, 'secureChat.connect');
    assert.strictEqual(statusBarText({ connection: undefined, address: undefined, online: [], server }).kind, 'server');
  });

  it('invite: loopback cannot be shared, a wildcard bind offers the LAN address', () => {
    assert.strictEqual(localAddress('0.0.0.0', 7777), 'ws://127.0.0.1:7777');
    assert.strictEqual(localAddress('::', 7777), 'ws://[::1]:7777');
    assert.deepStrictEqual(invite('0.0.0.0', 7777, LAN), { reachable: true, address: 'ws://192.168.1.20:7777' });
    assert.deepStrictEqual(invite('192.168.1.20', 7000, LAN), { reachable: true, address: 'ws://192.168.1.20:7000' });
    const loopback = invite('127.0.0.1', 7777, LAN);
    assert.strictEqual(loopback.reachable, false);
    assert.strictEqual(invite('0.0.0.0', 7777, { lo: LAN.lo }).reachable, false);
  });

  it('notifications: never for own messages or while the chat is in view; mentions by default', () => {
    const fromBob = { text: 'hey @alice, look', own: false };
    assert.strictEqual(shouldNotify('mentions', fromBob, 'alice', false), true);
    assert.strictEqual(shouldNotify('mentions', { text: 'hey all', own: false }, 'alice', false), false);
    assert.strictEqual(shouldNotify('all', { text: 'hey all', own: false }, 'alice', false), true);
    assert.strictEqual(shouldNotify('all', fromBob, 'alice', true), false);
    assert.strictEqual(shouldNotify('off', fromBob, 'alice', false), false);
    assert.strictEqual(shouldNotify('all', { ...fromBob, own: true }, 'alice', false), false);
    assert.strictEqual(notificationText('bob', 'a\n  b', 120), 'bob: a b');
    assert.strictEqual(notificationText('bob', 'x'.repeat(200), 10), `bob: ${'x'.repeat(9)}…`);
  });

  it('send selection: lines are 1-based and inclusive, a path outside the workspace is the file name', () => {
    const body = snippetBody({ code: 'a\nb\n', languageId: 'typescript', relativePath: 'src\\app.ts', start: { line: 4, character: 0 }, end: { line: 6, character: 0 } });
    assert.deepStrictEqual(body, { text: '', snippet: { code: 'a\nb\n', language: 'typescript', path: 'src/app.ts', startLine: 5, endLine: 6 } });
    const outside = snippetBody({ code: 'x', languageId: 'plaintext', relativePath: '/home/me/notes.txt', start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
    assert.deepStrictEqual(outside.snippet, { code: 'x', language: 'plaintext', path: 'notes.txt', startLine: 1, endLine: 1 });
  });
});
