import * as assert from 'assert';
import { ChatClient, ChatClientError, UsernameError } from '../../../src/client';
import { canonicalAddress, parseServerAddress } from '../../../src/client/address';

const options = { address: 'ws://127.0.0.1:1', password: 'pw', username: 'alice' };

describe('client input validation', () => {
  it('keeps an address in one canonical form: host lower-case, no "/" for the default room, default port dropped', () => {
    for (const typed of ['ws://Team.Example:7777', 'ws://team.example:7777/', ' ws://TEAM.example:7777 ']) assert.strictEqual(canonicalAddress(typed), 'ws://team.example:7777');
    assert.strictEqual(canonicalAddress('ws://Team.Example:7777/design'), 'ws://team.example:7777/design');
    assert.strictEqual(canonicalAddress('wss://chat.example:443/'), 'wss://chat.example');
    assert.strictEqual(canonicalAddress('ws://[::1]:7777/'), 'ws://[::1]:7777');
    assert.throws(() => canonicalAddress('http://team.example'), ChatClientError);
  });

  it('accepts ws:// and wss:// addresses', () => {
    assert.strictEqual(parseServerAddress('ws://chat.example:8080').host, 'chat.example:8080');
    assert.strictEqual(parseServerAddress(' wss://chat.example/room ').protocol, 'wss:');
  });

  for (const [address, why] of [
    ['http://chat.example', /must start with ws:\/\/ or wss:\/\/, not http:/],
    ['chat.example:8080', /must start with ws:\/\/ or wss:\/\//],
    ['not a url', /not a valid URL/],
    ['ws://bob:secret@chat.example', /must not contain a user name or password/],
    ['ws://chat.example/#room', /fragment/],
    ['ws://chat.example/room?x=1', /must not contain a "\?" query/],
    ['ws://chat.example/Team', /the address path must be "\/" or "\/<room>": a room name must be 1-64 characters of a-z, 0-9, "-" and "_"/],
    ['ws://chat.example/team/sub', /the address path must be "\/" or "\/<room>"/],
  ] as const) {
    it(`refuses ${JSON.stringify(address)} with a clear error`, () => {
      assert.throws(() => new ChatClient({ ...options, address }), (error: unknown) => {
        assert.ok(error instanceof ChatClientError);
        assert.strictEqual(error.code, 'invalid-address');
        assert.match(error.message, why);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      });
    });
  }

  it('accepts a username of 16 bytes and refuses 0 and 17 bytes', () => {
    const sixteen = 'é'.repeat(8); // 2 bytes each in UTF-8
    assert.strictEqual(new ChatClient({ ...options, username: sixteen }).username, sixteen);
    assert.throws(() => new ChatClient({ ...options, username: '' }), (e: unknown) => e instanceof UsernameError && /^Username is empty: enter a name of 1 to 16 bytes$/.test(e.message));
    assert.throws(() => new ChatClient({ ...options, username: `${sixteen}x` }), (e: unknown) => e instanceof UsernameError && /at most 16 bytes, this name needs 17;/.test(e.message));
  });

  it('validates setUsername the same way and keeps the old name on error', () => {
    const client = new ChatClient(options);
    assert.throws(() => client.setUsername('a'.repeat(17)), UsernameError);
    assert.throws(() => client.setUsername(''), UsernameError);
    assert.strictEqual(client.username, 'alice');
    client.setUsername('b'.repeat(16));
    assert.strictEqual(client.username, 'b'.repeat(16));
    client.dispose();
  });

  it('accepts a message before it has ever connected, and keeps it out of the sealed outbox until the room key is known', () => {
    const client = new ChatClient(options);
    const local = client.send({ text: 'hi' });
    assert.match(local.id, /^[0-9a-f]{32}$/u);
    assert.deepStrictEqual([local.status, local.username, local.body], ['pending', 'alice', { text: 'hi' }]);
    assert.deepStrictEqual(client.sealedOutbox, []);
    client.dispose();
  });

  it('refuses a history page size above the protocol maximum', () => {
    assert.throws(() => new ChatClient({ ...options, historyPageSize: 201 }), /historyPageSize/);
  });
});
