// The conversation features in the real workbench with two members: this window's user (alice) and a
// headless teammate (bob) in this process, on a team server started here with some history in it:
// where the chat opens after being hidden, replies (by mouse and keyboard, and their quote taking
// the reader to the parent through older history), reactions (counts, who, toggling one's own).
import * as assert from 'assert';
import { ChatClient } from '../../src/client';
import type { ChatMessage, LocalMessage } from '../../src/client';
import { RunningServer, startChatServer } from '../../src/server/server';
import { within } from '../support/rawClient';
import { tempDataDir } from '../support/testServer';
import { chatFrame, joinRoomAs, openViewContainer, runCommand, sideBar, useWorkbench } from './workbench';

const PASSWORD = 'amber kettle meadow';
/** More than one history page (50) after the first message, so its reply's quote must page back to it. */
const FILLERS = 70;

describe('the conversation, with two members', () => {
  const workbench = useWorkbench();
  let team: RunningServer;
  let address = '';
  let bob: ChatClient;
  let first: LocalMessage;
  /** Bob's view of the room: every message he receives, in order. */
  const received: ChatMessage[] = [];

  before(async function () {
    this.timeout(60000);
    team = await startChatServer({ password: PASSWORD, dataDir: tempDataDir(), host: '127.0.0.1', port: 0 });
    address = `ws://127.0.0.1:${team.port}`;
    bob = new ChatClient({ address, password: PASSWORD, username: 'bob' });
    bob.on('message', (message) => received.push(message));
    const stored = new Promise<void>((resolve) => bob.on('delivery', (update) => update.status === 'sent' && update.seq === FILLERS + 1 && resolve()));
    await new Promise<void>((resolve) => {
      const stop = bob.on('state', (state) => state.status === 'connected' && (stop(), resolve()));
      bob.connect();
    });
    first = bob.send({ text: 'Where should the retry logic live: the client or the host?' });
    for (let i = 1; i <= FILLERS; i++) bob.send({ text: `log line ${i}` });
    await within(stored, 50000, 'bob\'s history stored');
  });
  after(async () => {
    bob?.dispose();
    await team?.close();
  });

  const panel = () => chatFrame(workbench.page);
  /** The message with this text, not a reply that quotes it. */
  const message = (text: string) => panel().locator('.row.message').filter({ has: panel().locator('.body > p', { hasText: text }) });
  const composer = () => panel().locator('textarea.composer-input');
  /** The next message bob receives that passes `test`. */
  const bobReceives = (test: (message: ChatMessage) => boolean, what: string): Promise<ChatMessage> => {
    const seen = received.find(test);
    if (seen) return Promise.resolve(seen);
    return within(new Promise((resolve) => {
      const stop = bob.on('message', (message) => test(message) && (stop(), resolve(message)));
    }), 15000, what);
  };

  it('joins the team\'s room as alice and opens at its latest messages', async () => {
    const { page } = workbench;
    await joinRoomAs(page, 'alice', address, PASSWORD, 2);
    await runCommand(page, 'Secure Chat: Open Chat');
    await message(`log line ${FILLERS}`).waitFor();
  });

  it('shows what came while the chat was hidden under "New messages"', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'Explorer');
    await sideBar(page).locator('.composite.title', { hasText: 'Explorer' }).waitFor();
    bob.send({ text: 'CI is green on main.' });
    bob.send({ text: 'Tagging 0.2.0 after lunch.' });
    await page.locator('.activitybar .badge .badge-content', { hasText: /^2$/u }).waitFor();
    await openViewContainer(page, 'Secure Chat');
    await message('CI is green on main.').locator('.unread-divider', { hasText: 'New messages' }).waitFor();
    assert.strictEqual(await panel().locator('.unread-divider').count(), 1);
  });

  it('replies to a message from its Reply action: the reply quotes it, for both members', async () => {
    const parent = message('Tagging 0.2.0 after lunch.');
    await parent.hover();
    await parent.getByRole('button', { name: 'Reply' }).click();
    await panel().locator('.reply-bar', { hasText: 'Replying to bob Tagging 0.2.0 after lunch.' }).waitFor();
    assert.strictEqual(await composer().evaluate((node) => node === node.ownerDocument.activeElement), true, 'the keyboard is in the composer');
    await composer().fill('Sounds good, I will write the notes.');
    await composer().press('Enter');
    const reply = message('I will write the notes').and(panel().locator('.own.sent'));
    await reply.locator('.reply-quote', { hasText: 'bobTagging 0.2.0 after lunch.' }).waitFor();
    await panel().locator('.reply-bar').waitFor({ state: 'hidden' });
    const got = await bobReceives((m) => m.body.text === 'Sounds good, I will write the notes.', 'bob receives the reply');
    assert.deepStrictEqual(got.body.replyTo && { name: got.body.replyTo.name, text: got.body.replyTo.text }, { name: 'bob', text: 'Tagging 0.2.0 after lunch.' });
  });

  it('replies from the keyboard (R on a focused message) and Escape makes it a plain message again', async () => {
    const { page } = workbench;
    await panel().locator('.scroller').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const focused = panel().locator('.row.message:focus');
    const text = (await focused.locator('.body').textContent()) ?? '';
    await page.keyboard.press('r');
    await panel().locator('.reply-bar', { hasText: 'Replying to' }).waitFor();
    assert.ok(text.length > 0);
    await page.keyboard.press('Escape');
    await panel().locator('.reply-bar').waitFor({ state: 'hidden' });
    await composer().fill('A plain message after all.');
    await composer().press('Enter');
    const got = await bobReceives((m) => m.body.text === 'A plain message after all.', 'bob receives it');
    assert.strictEqual(got.body.replyTo, undefined);
  });

  it('takes the reader to a reply\'s parent from its quote, loading older history until it is there', async () => {
    bob.send({ text: 'In the client: the host only shows what it does.', replyTo: { id: first.id, name: 'bob', text: 'Where should the retry logic live: the client or the host?' } });
    const reply = message('the host only shows what it does');
    await reply.locator('.reply-quote').waitFor();
    assert.strictEqual(await message('Where should the retry logic live').count(), 0, 'the parent is older than the latest page');
    await reply.locator('.reply-quote').click();
    const parent = message('Where should the retry logic live');
    await parent.and(panel().locator('.highlighted')).waitFor();
    assert.strictEqual(await parent.evaluate((node) => node === node.ownerDocument.activeElement), true, 'the parent has the keyboard focus');
    assert.ok(await parent.isVisible());
  });

  it('reacts to a message: counts with who reacted on hover, a click on one\'s own takes it back, any emoji from the keyboard', async () => {
    const { page } = workbench;
    const notes = bob.send({ text: 'Release notes are up.' });
    // The list is where the last test took the reader, above the latest: the jump button counts the news.
    await panel().locator('.jump-latest', { hasText: '1 new message below' }).click();
    const row = message('Release notes are up.');
    await row.hover();
    await row.getByRole('button', { name: '👍', exact: true }).click();
    const thumbs = row.locator('.reactions .reaction', { hasText: '👍' });
    await thumbs.filter({ hasText: /^👍 1$/u }).and(panel().locator('.mine')).waitFor();
    const mine = await bobReceives((m) => m.body.react !== undefined, 'bob receives the reaction');
    assert.deepStrictEqual(mine.body, { text: '', react: { to: notes.id, emoji: '👍', on: true } });
    assert.strictEqual(mine.username, 'alice');

    bob.send({ text: '', react: { to: notes.id, emoji: '👍', on: true } });
    bob.send({ text: '', react: { to: notes.id, emoji: '🎉', on: true } });
    await thumbs.filter({ hasText: /^👍 2$/u }).waitFor();
    assert.strictEqual(await thumbs.getAttribute('title'), 'alice, bob reacted with 👍');
    await row.locator('.reactions .reaction', { hasText: /^🎉 1$/u }).waitFor();

    await thumbs.click();
    await thumbs.filter({ hasText: /^👍 1$/u }).and(panel().locator('.reaction:not(.mine)')).waitFor();
    assert.strictEqual(await thumbs.getAttribute('title'), 'bob reacted with 👍');
    await bobReceives((m) => m.body.react?.on === false, 'bob receives the reaction taken back');

    // Any single emoji: E on the focused message, then the emoji in the box.
    await row.click();
    await page.keyboard.press('e');
    await panel().locator('.reply-bar', { hasText: 'React to bob Release notes are up.' }).waitFor();
    await composer().fill('no');
    await panel().locator('.composer-problem', { hasText: 'Type one emoji' }).waitFor();
    await composer().fill('🦄');
    await composer().press('Enter');
    await row.locator('.reactions .reaction.mine', { hasText: /^🦄 1$/u }).waitFor();
    assert.strictEqual(await composer().inputValue(), '');
    await panel().locator('.reply-bar').waitFor({ state: 'hidden' });
    await bobReceives((m) => m.body.react?.emoji === '🦄', 'bob receives the unicorn');
    assert.strictEqual(await panel().locator('.row.message', { hasText: /^$/u }).count(), 0, 'no reaction shows as a message of its own');
  });
});
