// The composer and what surrounds it, in the real workbench with two members: this window's user
// (alice) and a headless teammate (bob) in this process, on a team server started here. Typing:
// others' signals show as "bob is typing…" (or two names) until their message or the expiry, and
// alice's typing reaches bob. "@" completes the names of the members online; very long messages
// fold; Copy puts a message's plain text on the clipboard.
import * as assert from 'assert';
import { ChatClient } from '../../src/client';
import type { OnlineMember } from '../../src/client';
import { TYPING_EXPIRY_MS } from '../../src/protocol/limits';
import { RunningServer, startChatServer } from '../../src/server/server';
import { within } from '../support/rawClient';
import { tempDataDir } from '../support/testServer';
import { chatFrame, joinRoomAs, runCommand, statusBarItem, useWorkbench } from './workbench';

const PASSWORD = 'willow lantern orbit';

describe('the composer, with two members', () => {
  const workbench = useWorkbench();
  let team: RunningServer;
  let address = '';
  let bob: ChatClient;
  let carol: ChatClient;
  const members: ChatClient[] = [];

  /** A headless teammate, connected. */
  async function member(username: string): Promise<ChatClient> {
    const client = new ChatClient({ address, password: PASSWORD, username });
    members.push(client);
    await within(new Promise<void>((resolve) => {
      const stop = client.on('state', (state) => state.status === 'connected' && (stop(), resolve()));
      client.connect();
    }), 30000, `${username} connected`);
    return client;
  }

  before(async function () {
    this.timeout(60000);
    team = await startChatServer({ password: PASSWORD, dataDir: tempDataDir(), host: '127.0.0.1', port: 0 });
    address = `ws://127.0.0.1:${team.port}`;
    bob = await member('bob');
  });
  after(async () => {
    for (const client of members) client.dispose();
    await team?.close();
  });

  const panel = () => chatFrame(workbench.page);
  const composer = () => panel().locator('textarea.composer-input');
  const typingLine = () => panel().locator('.typing-line');
  const message = (text: string) => panel().locator('.row.message').filter({ has: panel().locator('.body > p', { hasText: text }) });

  it('joins the team\'s room as alice', async () => {
    const { page } = workbench;
    await joinRoomAs(page, 'alice', address, PASSWORD, 2);
    await runCommand(page, 'Secure Chat: Open Chat');
    // The panel's snapshot is in (the host sends it once the page said it is ready): updates reach it from now on.
    await panel().locator('.online-summary', { hasText: '2 online' }).waitFor();
    await composer().waitFor();
  });

  it('shows "bob is typing…" while bob types, and no more once his message is in', async () => {
    bob.typing();
    await typingLine().filter({ hasText: /^bob is typing…$/u }).waitFor();
    bob.send({ text: 'Here is the stack trace.' });
    await message('Here is the stack trace.').waitFor();
    assert.strictEqual(await typingLine().textContent(), '');
  });

  it('lets "carol is typing…" expire when no further signal comes', async () => {
    carol = await member('carol');
    await statusBarItem(workbench.page, 'Secure Chat: 3 online').waitFor();
    const sent = Date.now();
    carol.typing();
    const shown = typingLine().filter({ hasText: /^carol is typing…$/u });
    await shown.waitFor();
    await shown.waitFor({ state: 'hidden', timeout: TYPING_EXPIRY_MS + 5000 });
    assert.ok(Date.now() - sent >= TYPING_EXPIRY_MS, 'not before the expiry');
    assert.strictEqual(await typingLine().textContent(), '');
  });

  it('names two members typing at once, and the one still typing when the other\'s message is in', async () => {
    // Both signals are past their senders' pace: the last ones went out before the expiry above.
    bob.typing();
    carol.typing();
    await typingLine().filter({ hasText: /^(bob and carol|carol and bob) are typing…$/u }).waitFor();
    bob.send({ text: 'Found it: a missing await.' });
    await message('Found it: a missing await.').waitFor();
    assert.strictEqual(await typingLine().textContent(), 'carol is typing…');
  });

  it('tells bob when alice types', async () => {
    const heard = within(new Promise<OnlineMember>((resolve) => {
      const stop = bob.on('typing', (member) => (stop(), resolve(member)));
    }), 15000, 'bob hears alice typing');
    await composer().pressSequentially('Looking');
    assert.strictEqual((await heard).name, 'alice');
  });

  it('completes an @-name from the members online: arrows choose, Enter puts it in, Escape closes', async () => {
    const options = panel().locator('.mention-list [role="option"]');
    await composer().fill('');
    await composer().pressSequentially('thanks @');
    await panel().locator('.mention-list').waitFor();
    assert.deepStrictEqual(await options.allTextContents(), ['@bob', '@carol']);
    await composer().pressSequentially('c');
    assert.deepStrictEqual(await options.allTextContents(), ['@carol']);
    await composer().press('Escape');
    await panel().locator('.mention-list').waitFor({ state: 'hidden' });
    assert.strictEqual(await composer().inputValue(), 'thanks @c');
    await composer().press('Backspace');
    await panel().locator('.mention-list').waitFor();
    await composer().press('ArrowDown');
    await panel().locator('.mention-option.chosen', { hasText: '@carol' }).waitFor();
    await composer().press('Enter');
    assert.strictEqual(await composer().inputValue(), 'thanks @carol ');
    const got = within(new Promise<string>((resolve) => {
      const stop = carol.on('message', (received) => (stop(), resolve(received.body.text)));
    }), 15000, 'carol receives it');
    await composer().pressSequentially('for the fix');
    await composer().press('Enter');
    assert.strictEqual(await got, 'thanks @carol for the fix');
  });

  it('shows a very long message collapsed, opens it with "Show more" and folds it with "Show less"', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `trace line ${i + 1}`).join('\n');
    bob.send({ text });
    const row = message('trace line 1');
    const body = row.locator('.body');
    await row.locator('.expand', { hasText: 'Show more' }).waitFor();
    const folded = (await body.boundingBox())?.height ?? 0;
    assert.strictEqual(await row.locator('.body p', { hasText: 'trace line 40' }).isVisible(), true, 'in the page, only folded');
    await row.locator('.expand').click();
    await row.locator('.expand', { hasText: 'Show less' }).waitFor();
    const open = (await body.boundingBox())?.height ?? 0;
    assert.ok(open > folded * 2, `opened ${open}px, folded ${folded}px`);
    await row.locator('.expand').click();
    await row.locator('.expand', { hasText: 'Show more' }).waitFor();
    assert.strictEqual(Math.round((await body.boundingBox())?.height ?? 0), Math.round(folded));
  });

  it('copies a message as plain text from its Copy action', async () => {
    const { page } = workbench;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    bob.send({ text: 'Run `npm ci` **before** the tests.' });
    const row = message('before the tests');
    await row.hover();
    await row.getByRole('button', { name: 'Copy', exact: true }).click();
    await statusBarItem(page, 'Secure Chat: message copied').waitFor();
    assert.strictEqual(await page.evaluate<string>('navigator.clipboard.readText()'), 'Run `npm ci` **before** the tests.');
  });
});
