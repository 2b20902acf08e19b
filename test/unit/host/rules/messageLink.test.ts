import * as assert from 'assert';
import { LinkParts, messageLink, parseMessageLink } from '../../../../src/host/rules/messageLink';

const HOME = { scheme: 'vscode', extensionId: 'secure-chat.secure-chat' };
const ID = '0123456789abcdef0123456789abcdef';

/** A link's parts as vscode.Uri.parse gives them to the URI handler: path and query percent-decoded. */
function parts(link: string): LinkParts {
  const url = new URL(link);
  return { path: decodeURIComponent(url.pathname), query: decodeURIComponent(url.search.slice(1)) };
}

const problemOf = (link: LinkParts): string => {
  const parsed = parseMessageLink(link);
  assert.strictEqual(parsed.ok, false, JSON.stringify(link));
  return parsed.ok ? '' : parsed.problem;
};

describe('message links', () => {
  it('names the extension, the message and the room\'s address, encoded', () => {
    assert.strictEqual(messageLink(HOME, 'ws://127.0.0.1:7777/design', ID), `vscode://secure-chat.secure-chat/message/${ID}?room=ws%3A%2F%2F127.0.0.1%3A7777%2Fdesign`);
    assert.strictEqual(messageLink({ ...HOME, scheme: 'code-oss' }, 'wss://chat.example:443', ID), `code-oss://secure-chat.secure-chat/message/${ID}?room=wss%3A%2F%2Fchat.example%3A443`);
  });

  it('reads back the room and the message of a link it made, whether its query comes decoded or still encoded', () => {
    const link = messageLink(HOME, 'ws://127.0.0.1:7777/design', ID);
    assert.deepStrictEqual(parseMessageLink(parts(link)), { ok: true, room: 'ws://127.0.0.1:7777/design', id: ID });
    const url = new URL(link);
    assert.deepStrictEqual(parseMessageLink({ path: url.pathname, query: url.search.slice(1) }), { ok: true, room: 'ws://127.0.0.1:7777/design', id: ID });
  });

  it('says what is wrong with a bad link', () => {
    const room = 'room=ws://127.0.0.1:7777';
    assert.strictEqual(problemOf({ path: '/settings', query: room }), 'it is not a link to a message of a Secure Chat room');
    assert.strictEqual(problemOf({ path: '/message', query: room }), 'it is not a link to a message of a Secure Chat room');
    for (const id of ['', 'xyz', ID.toUpperCase(), `${ID}0`, `${ID}/extra`, ID.slice(1)]) {
      assert.strictEqual(problemOf({ path: `/message/${id}`, query: room }), 'the message it names is not a message id (32 lowercase hex digits)', id);
    }
    assert.strictEqual(problemOf({ path: `/message/${ID}`, query: '' }), 'it names no room ("room=" and the room\'s address)');
    assert.strictEqual(problemOf({ path: `/message/${ID}`, query: 'address=ws://127.0.0.1:7777' }), 'it names no room ("room=" and the room\'s address)');
    assert.strictEqual(problemOf({ path: `/message/${ID}`, query: 'room=ws%3A%2F%E0%A4%A' }), 'its room address is garbled');
    assert.match(problemOf({ path: `/message/${ID}`, query: 'room=https://example.com' }), /^its room address is not valid: the server address must start with ws:\/\/ or wss:\/\//u);
    assert.match(problemOf({ path: `/message/${ID}`, query: 'room=ws://127.0.0.1:7777/Not A Room' }), /^its room address is not valid: the address path must be/u);
    assert.match(problemOf({ path: `/message/${ID}`, query: 'room=' }), /^its room address is not valid: the server address is not a valid URL/u);
  });

  it('says its words in the user\'s language', () => {
    const german = (message: string, ...args: (string | number)[]) => `de:${message}:${args.join('|')}`;
    assert.deepStrictEqual(parseMessageLink({ path: '/nothing', query: '' }, german), { ok: false, problem: 'de:it is not a link to a message of a Secure Chat room:' });
  });

  it('names the room in the canonical form joined rooms are kept in, however the link spells it', () => {
    const roomOf = (address: string): string | undefined => {
      const parsed = parseMessageLink(parts(messageLink(HOME, address, ID)));
      return parsed.ok ? parsed.room : undefined;
    };
    assert.strictEqual(roomOf('ws://127.0.0.1:7777/'), 'ws://127.0.0.1:7777');
    assert.strictEqual(roomOf('ws://127.0.0.1:7777'), 'ws://127.0.0.1:7777');
    assert.strictEqual(roomOf('ws://Chat.Example:7777/design'), 'ws://chat.example:7777/design');
    assert.strictEqual(roomOf('wss://chat.example:443'), 'wss://chat.example');
    assert.strictEqual(roomOf('ws://127.0.0.1:7777/design'), 'ws://127.0.0.1:7777/design');
  });
});
