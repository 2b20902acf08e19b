// Edits and deletes at the server (docs/PROTOCOL.md, "Edits and deletes"): a `send` that names seqs
// to edit or delete is stored only when every one of them is signed by the sender's own key; a
// tombstone then stands in for those seqs in every history page, also after a restart. Real server,
// real sockets, real files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { sealSignedMessage } from '../../../src/crypto';
import { MessageBody, decodeBody, encodeBody } from '../../../src/protocol/body';
import { RawClient } from '../../support/rawClient';
import { startTestServer } from '../../support/testServer';
import { useTestServer } from '../../support/useTestServer';

describe('server: edits and deletes', () => {
  const served = useTestServer();
  const { roster } = served;

  function sealBody(client: RawClient, body: MessageBody): { messageId: Buffer; envelope: Buffer } {
    return sealSignedMessage(client.keys!, client.identity, { username: client.username, plaintext: encodeBody(body), timestamp: Date.now() });
  }

  /** Sends with the frame's extra fields and names the answer: 'ack' or the error code. */
  async function answer(client: RawClient, sealed: { messageId: Buffer; envelope: Buffer }, fields: { edits?: number; deletes?: number[] }): Promise<string> {
    client.send({ type: 'send', envelope: sealed.envelope, ...fields });
    const outcome = await client.outcome(sealed.messageId);
    return outcome.type === 'error' ? outcome.code : 'ack';
  }

  const texts = async (client: RawClient) => (await client.history({ limit: 50 })).messages.map((m) => {
    const body = decodeBody(client.open(m.envelope).plaintext);
    return [m.seq, body.ok ? JSON.stringify(body.value) : 'unreadable'];
  });

  it('stores an edit only from the key that signed the message it names: another member\'s is not-author', async () => {
    const alice = await roster.join('alice');
    const mallory = await roster.join('mallory');
    const { seq } = await alice.sendAndAck(alice.seal('helo'));
    const to = '00'.repeat(16);
    assert.strictEqual(await answer(mallory, sealBody(mallory, { text: 'pwned', edit: { to } }), { edits: seq }), 'not-author');
    assert.strictEqual(await answer(mallory, sealBody(mallory, { text: 'nothing there', edit: { to } }), { edits: seq + 10 }), 'not-author', 'a seq nothing is stored under');
    assert.strictEqual(await answer(alice, sealBody(alice, { text: 'hello', edit: { to } }), { edits: seq }), 'ack');
    assert.deepStrictEqual((await texts(alice)).map(([s]) => s), [seq, seq + 1], 'the refused edits stored nothing');
  });

  it('refuses a frame naming both, or an empty list, as bad-frame', async () => {
    const alice = await roster.join('alice');
    const { seq } = await alice.sendAndAck(alice.seal('x'));
    alice.send({ type: 'send', envelope: alice.seal('y').envelope, edits: seq, deletes: [seq] });
    assert.strictEqual((await alice.next('error')).code, 'bad-frame');
    alice.ws.send(JSON.stringify({ type: 'send', envelope: alice.seal('z').envelope.toString('base64'), deletes: [] }));
    assert.strictEqual((await alice.next('error')).code, 'bad-frame');
  });

  it('serves a tombstone in place of the message and its edits, from the ack on and after a restart; another member\'s tombstone is refused', async () => {
    const alice = await roster.join('alice');
    const bob = await roster.join('bob');
    const target = alice.seal('secret plans');
    const { seq } = await alice.sendAndAck(target);
    const to = target.messageId.toString('hex');
    const edit = await alice.sendAndAck(sealBody(alice, { text: 'more secret plans', edit: { to } }));
    await bob.sendAndAck(bob.seal('unrelated'));
    assert.strictEqual(await answer(bob, sealBody(bob, { text: '', delete: { to } }), { deletes: [seq] }), 'not-author');
    assert.strictEqual(await answer(alice, sealBody(alice, { text: '', delete: { to } }), { deletes: [seq, seq + 2] }), 'not-author', 'one seq of another key refuses the whole tombstone');
    assert.strictEqual(await answer(alice, sealBody(alice, { text: '', delete: { to } }), { deletes: [seq, edit.seq] }), 'ack');
    const tombstone = JSON.stringify({ text: '', delete: { to } });
    const expected = [[seq, tombstone], [edit.seq, tombstone], [seq + 2, '{"text":"unrelated"}'], [seq + 3, tombstone]];
    assert.deepStrictEqual(await texts(bob), expected);
    assert.deepStrictEqual((await bob.history({ after: 0, limit: 1 })).messages.map((m) => decodeBody(bob.open(m.envelope).plaintext)), [{ ok: true, value: { text: '', delete: { to } } }]);
    const file = JSON.parse(fs.readFileSync(path.join(served.server.dataDir, 'tombstones.json'), 'utf8')) as { version: number; tombstones: { replaces: number[]; envelope: string }[] };
    assert.deepStrictEqual([file.version, file.tombstones.map((t) => t.replaces)], [1, [[seq, edit.seq]]]);
    assert.strictEqual(file.tombstones[0].envelope, (await bob.history({ after: seq + 2, limit: 1 })).messages[0].envelope.toString('base64'), 'the tombstone as stored');
    await served.stop();
    await served.start({ dataDir: served.server.dataDir });
    assert.deepStrictEqual(await texts(await roster.join('bob')), expected);
  });

  it('refuses to start on a tombstones file it cannot read, and leaves it as it is', async () => {
    await served.stop();
    const file = path.join(served.server.dataDir, 'tombstones.json');
    const damaged = '{"version":1,"tombstones":[{"replaces":[0],"envelope":""}]}';
    fs.writeFileSync(file, damaged);
    await assert.rejects(startTestServer({ dataDir: served.server.dataDir }), /tombstones\.json is not a valid tombstones file \("tombstones\.0\.replaces\.0" must be an integer/u);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), damaged);
    await served.start();
  });
});
