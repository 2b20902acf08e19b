// Editing and deleting in the real workbench with two members: this window's user (alice) and a
// headless teammate (bob) in this process, on a team server started here. Alice edits and deletes
// her own messages from their actions and the keyboard; bob sees the new versions and the tombstone;
// an edit of alice's message by anyone else is refused by the server (not-author) and, stored
// anyway by a client that does not name what it edits, by alice's panel; history serves the
// tombstone in place of what was deleted.
import * as assert from 'assert';
import type { ChatMessage } from '../../src/client';
import { sealSignedMessage } from '../../src/crypto';
import { decodeBody, encodeBody } from '../../src/protocol/body';
import { RunningServer, startChatServer } from '../../src/server/server';
import { RawClient } from '../support/rawClient';
import { tempDataDir } from '../support/testServer';
import { Teammate } from './teammate';
import { chatFrame, joinRoomAs, runCommand, useWorkbench } from './workbench';

const PASSWORD = 'copper lantern orchard';

describe('editing and deleting, with two members', () => {
  const workbench = useWorkbench();
  let team: RunningServer;
  let address = '';
  let bob: Teammate;
  let mallory: RawClient | undefined;
  /** Alice's message as bob received it. */
  let typo: ChatMessage;

  before(async function () {
    this.timeout(60000);
    team = await startChatServer({ password: PASSWORD, dataDir: tempDataDir(), host: '127.0.0.1', port: 0 });
    address = `ws://127.0.0.1:${team.port}`;
    bob = await Teammate.join(address, PASSWORD, 'bob');
  });
  after(async () => {
    mallory?.ws.terminate();
    bob?.dispose();
    await team?.close();
  });

  const panel = () => chatFrame(workbench.page);
  const row = (id: string) => panel().locator(`.row.message[data-id="${id}"]`);
  const composer = () => panel().locator('textarea.composer-input');
  const bar = () => panel().locator('.reply-bar');
  const bobReceives = (test: (message: ChatMessage) => boolean, what: string) => bob.receives(test, what);

  it('joins the team\'s room as alice and says something with a typo', async () => {
    const { page } = workbench;
    await joinRoomAs(page, 'alice', address, PASSWORD, 2);
    await runCommand(page, 'Secure Chat: Open Chat');
    await composer().fill('The build is brokne on main.');
    await composer().press('Enter');
    typo = await bobReceives((m) => m.body.text === 'The build is brokne on main.', 'bob receives the typo');
    await row(typo.id).and(panel().locator('.own.sent')).waitFor();
  });

  it('edits it from its Edit action: the box holds its text, bob gets the new version, "edited" shows the earlier one', async () => {
    await composer().fill('a draft');
    const own = row(typo.id);
    await own.hover();
    await own.getByRole('button', { name: 'Edit', exact: true }).click();
    await bar().filter({ hasText: 'Editing alice The build is brokne on main.' }).waitFor();
    assert.strictEqual(await composer().inputValue(), 'The build is brokne on main.');
    await composer().fill('The build is broken on main.');
    await composer().press('Enter');
    await own.locator('.body > p', { hasText: 'The build is broken on main.' }).waitFor();
    const edit = await bobReceives((m) => m.body.edit !== undefined, 'bob receives the edit');
    assert.deepStrictEqual([edit.body, edit.username], [{ text: 'The build is broken on main.', edit: { to: typo.id } }, 'alice']);
    await bar().waitFor({ state: 'hidden' });
    assert.strictEqual(await composer().inputValue(), 'a draft', 'the draft comes back');
    await composer().fill('');

    const mark = own.locator('.edited-mark', { hasText: 'edited' });
    assert.strictEqual(await mark.getAttribute('aria-expanded'), 'false');
    await mark.click();
    await own.locator('.versions .version', { hasText: 'The build is brokne on main.' }).waitFor();
    assert.strictEqual(await mark.getAttribute('aria-expanded'), 'true');
    assert.strictEqual(await panel().locator('.row.message').count(), 1, 'the edit shows as no message of its own');
  });

  it('Up in the empty composer edits the last own message; Escape leaves it as it is', async () => {
    const { page } = workbench;
    await composer().focus();
    await page.keyboard.press('ArrowUp');
    await bar().filter({ hasText: 'Editing alice' }).waitFor();
    assert.strictEqual(await composer().inputValue(), 'The build is broken on main.');
    await page.keyboard.press('Escape');
    await bar().waitFor({ state: 'hidden' });
    assert.strictEqual(await composer().inputValue(), '');
  });

  it('refuses an edit of alice\'s message by anyone else: the server answers not-author, and one stored anyway changes nothing here', async () => {
    const forged = bob.client.send({ text: 'I never said this.', edit: { to: typo.id } });
    const refusal = await bob.delivery(forged.id, 'failed');
    assert.match(refusal.reason ?? '', /only the member who wrote a message can edit or delete it/u);

    // A client that does not name the seq it edits: the server cannot tell, stores it, and every receiver checks the signer.
    mallory = (await RawClient.join(address, PASSWORD, 'mallory')).client;
    const sneaky = sealSignedMessage(mallory.keys!, mallory.identity, { username: 'mallory', plaintext: encodeBody({ text: 'Ignore the build.', edit: { to: typo.id } }), timestamp: Date.now() });
    await mallory.sendAndAck(sneaky);
    const after = mallory.seal('mallory was here');
    await mallory.sendAndAck(after);
    await row(after.messageId.toString('hex')).waitFor();
    assert.strictEqual(await row(typo.id).locator('.body > p').first().textContent(), 'The build is broken on main.');
    assert.strictEqual(await panel().locator('.row.message', { hasText: 'Ignore the build.' }).count(), 0);
    assert.strictEqual(await panel().locator('.row.message', { hasText: 'I never said this.' }).count(), 0);
  });

  it('shows bob\'s edit of his own message as its new text, marked "edited"', async () => {
    const lunch = bob.client.send({ text: 'Lunch at 12?' });
    await row(lunch.id).waitFor();
    bob.client.send({ text: 'Lunch at 12:30?', edit: { to: lunch.id } });
    await row(lunch.id).locator('.body > p', { hasText: 'Lunch at 12:30?' }).waitFor();
    await row(lunch.id).locator('.edited-mark').waitFor();
    await row(lunch.id).hover();
    assert.strictEqual(await row(lunch.id).getByRole('button', { name: 'Edit', exact: true }).count(), 0, 'no Edit on another member\'s message');
  });

  it('deletes alice\'s message once she confirms: "message deleted" for her, the tombstone for bob, and history no longer serves the text', async () => {
    const own = row(typo.id);
    await own.hover();
    await own.getByRole('button', { name: 'Delete', exact: true }).click();
    await bar().filter({ hasText: 'Delete for everyone?' }).waitFor();
    await composer().press('Enter');
    await own.locator('.deleted-note', { hasText: 'message deleted' }).waitFor();
    assert.strictEqual(await own.locator('.edited-mark').count(), 0);
    const tombstone = await bobReceives((m) => m.body.delete !== undefined, 'bob receives the tombstone');
    assert.deepStrictEqual([tombstone.body, tombstone.username], [{ text: '', delete: { to: typo.id } }, 'alice']);

    const page = await mallory!.history({ limit: 200 });
    const texts = page.messages.map((m) => {
      const body = decodeBody(mallory!.open(m.envelope).plaintext);
      return body.ok ? body.value.text : '';
    });
    assert.ok(!texts.some((text) => text.includes('The build is')), JSON.stringify(texts));
    assert.strictEqual(page.messages.filter((m) => mallory!.open(m.envelope).messageId.toString('hex') === tombstone.id).length, 3, 'the message, its edit and the tombstone itself');
  });

  it('shows bob\'s delete of his own message as "message deleted" in its place', async () => {
    const id = (await panel().locator('.row.message', { hasText: 'Lunch at 12:30?' }).getAttribute('data-id'))!;
    bob.client.send({ text: '', delete: { to: id } });
    await row(id).locator('.deleted-note', { hasText: 'message deleted' }).waitFor();
    assert.strictEqual(await panel().locator('.row.message', { hasText: 'Lunch at' }).count(), 0);
  });
});
