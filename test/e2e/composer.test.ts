// The composer and what surrounds it, in the real workbench with two members: this window's user
// (alice) and a headless teammate (bob) in this process, on a team server started here. Typing:
// others' signals show as "bob is typing…" (or two names) until their message or the expiry, and
// alice's typing reaches bob. "@" completes the names of the members online; very long messages
// fold; Copy puts a message's plain text on the clipboard. "Send Selection to Chat" waits in the
// composer for a comment and goes out with it as one message; "Copy Link" gives a link that opens
// the chat at its message, also after a reload left the message out of the history the panel holds.
import * as assert from 'assert';
import { ChatClient } from '../../src/client';
import type { OnlineMember } from '../../src/client';
import { TYPING_EXPIRY_MS } from '../../src/protocol/limits';
import { RunningServer, startChatServer } from '../../src/server/server';
import { within } from '../support/rawClient';
import { tempDataDir } from '../support/testServer';
import {
  answerInput, chatFrame, inputBox, joinRoomAs, notification, openUrl, openWorkspaceFile, reloadWindow, runCommand, selectDown, statusBarItem, useWorkbench,
} from './workbench';

const PASSWORD = 'willow lantern orbit';
/** The panel's first page of history: a reload leaves older messages to be loaded page by page. */
const PAGE_SIZE = 5;
/** The file a selection is sent from: lines 2-8 are the snippet. */
const RETRY_TS = [
  'export async function retry<T>(run: () => Promise<T>, times: number): Promise<T> {',
  '  for (let attempt = 1; ; attempt++) {',
  '    try {',
  '      return await run();',
  '    } catch (error) {',
  '      if (attempt >= times) throw error;',
  '    }',
  '  }',
  '}',
  '',
];
/** The link a running code-server makes: its URI scheme (product.json's urlProtocol) and this extension's id. */
const LINK_PREFIX = 'code-oss://secure-chat.secure-chat/message/';

describe('the composer, with two members', () => {
  const workbench = useWorkbench({ 'secureChat.history.pageSize': PAGE_SIZE });
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

  it('attaches a selection sent from an editor to the composer: its file and lines, its first lines of code, and × to take it out', async () => {
    const { page } = workbench;
    await openWorkspaceFile(workbench, 'src/retry.ts', RETRY_TS);
    await selectDown(page, 2, 1, 7);
    await runCommand(page, 'Secure Chat: Send Selection to');
    const attachment = panel().locator('.composer .attachment');
    await attachment.waitFor();
    assert.strictEqual(await attachment.locator('.attachment-reference').textContent(), 'src/retry.ts:2-8');
    assert.strictEqual(await attachment.locator('.language').textContent(), 'typescript');
    assert.strictEqual(await attachment.locator('code').textContent(), RETRY_TS.slice(1, 5).join('\n'));
    assert.strictEqual(await attachment.locator('.attachment-more').textContent(), '… 3 more lines');
    await panel().locator('textarea.composer-input:focus').waitFor();
    assert.strictEqual(await composer().getAttribute('placeholder'), 'Add a comment (Enter sends it with the snippet)');
    await attachment.getByRole('button', { name: 'Remove the snippet (Escape)' }).click();
    await attachment.waitFor({ state: 'detached' });
    assert.strictEqual(await composer().getAttribute('placeholder'), 'Message (Shift+Enter: new line)');
  });

  it('takes a snippet out on Escape, and sends a comment with one on Enter as one message, which bob receives with both', async () => {
    const { page } = workbench;
    const attachment = panel().locator('.composer .attachment');
    const sendSelection = async (): Promise<void> => {
      // Back in the editor, its selection as it was: the command is the editor's.
      await runCommand(page, 'View: Focus Active Editor Group');
      await runCommand(page, 'Secure Chat: Send Selection to');
      await attachment.waitFor();
    };
    await composer().fill('');
    await sendSelection();
    await panel().locator('textarea.composer-input:focus').press('Escape');
    await attachment.waitFor({ state: 'detached' });
    await sendSelection();
    const got = within(new Promise<{ text: string; snippet?: unknown }>((resolve) => {
      const stop = bob.on('message', (received) => received.body.snippet !== undefined && (stop(), resolve(received.body)));
    }), 15000, 'bob receives the snippet');
    await composer().pressSequentially('Does this give up one try too early?');
    await composer().press('Enter');
    const snippet = { code: `${RETRY_TS.slice(1, 8).join('\n')}\n`, language: 'typescript', path: 'src/retry.ts', startLine: 2, endLine: 8 };
    assert.deepStrictEqual(await got, { text: 'Does this give up one try too early?', snippet });
    await attachment.waitFor({ state: 'detached' });
    const sent = message('Does this give up one try too early?');
    await sent.locator('.snippet .reference', { hasText: 'src/retry.ts:2-8' }).waitFor();
    assert.strictEqual(await sent.count(), 1, 'one message with both');
    assert.strictEqual(await composer().inputValue(), '');
  });

  it('attaches and sends a selection of a file whose name the panel does not open (src/a(b).ts), its path shown as text', async () => {
    const { page } = workbench;
    await openWorkspaceFile(workbench, 'src/a(b).ts', ['const a = 1;', 'const b = 2;', '']);
    await selectDown(page, 1, 1, 1);
    await runCommand(page, 'Secure Chat: Send Selection to');
    const attachment = panel().locator('.composer .attachment');
    await attachment.waitFor();
    assert.strictEqual(await attachment.locator('.attachment-reference').textContent(), 'src/a(b).ts:1');
    const got = within(new Promise<{ text: string; snippet?: unknown }>((resolve) => {
      const stop = bob.on('message', (received) => received.body.text === 'Named with parentheses' && (stop(), resolve(received.body)));
    }), 15000, 'bob receives the snippet');
    await composer().pressSequentially('Named with parentheses');
    await composer().press('Enter');
    assert.deepStrictEqual(await got, { text: 'Named with parentheses', snippet: { code: 'const a = 1;\n', language: 'typescript', path: 'src/a(b).ts', startLine: 1, endLine: 1 } });
    const sent = message('Named with parentheses');
    await sent.locator('.snippet .reference-text', { hasText: 'src/a(b).ts:1' }).waitFor();
    assert.strictEqual(await sent.locator('.snippet button.reference').count(), 0, 'no button that would open it');
  });

  it('copies a link to a message that opens the chat at it, loading older history, once a reload left it out of the panel', async function () {
    this.timeout(180000);
    const { page } = workbench;
    bob.send({ text: 'The timeout is set in retry.ts.' });
    const target = message('The timeout is set in retry.ts.');
    await target.waitFor();
    const id = await target.getAttribute('data-id') ?? '';
    await target.hover();
    await target.getByRole('button', { name: 'Copy Link', exact: true }).click();
    await statusBarItem(page, 'Secure Chat: link to the message copied').waitFor();
    const link = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.strictEqual(link, `${LINK_PREFIX}${id}?room=${encodeURIComponent(address)}`);

    for (let i = 1; i <= 3 * PAGE_SIZE; i++) bob.send({ text: `filler ${i}` });
    await message(`filler ${3 * PAGE_SIZE}`).waitFor();
    await reloadWindow(page);
    // SecretStorage may not survive the reload in every workbench: then joining again asks for the password.
    const online = statusBarItem(page, 'Secure Chat: 3 online').waitFor({ timeout: 90000 });
    const prompt = inputBox(page, 'Secure Chat: Room Password');
    const answered = prompt.title.waitFor({ timeout: 90000 }).then(() => answerInput(page, PASSWORD, 'Secure Chat: Room Password'), () => undefined);
    await Promise.race([online, answered]);
    await online;
    await runCommand(page, 'Secure Chat: Open Chat');
    await message(`filler ${3 * PAGE_SIZE}`).waitFor();
    assert.strictEqual(await panel().locator(`.row.message[data-id="${id}"]`).count(), 0, 'older than the page the panel starts with');

    await openUrl(page, link);
    const shown = panel().locator(`.row.message.highlighted[data-id="${id}"]`);
    await shown.waitFor();
    assert.ok(await shown.isVisible(), 'scrolled into view');
    assert.strictEqual(await shown.locator('.body > p').textContent(), 'The timeout is set in retry.ts.');
  });

  it('says so when a link is to a room this window is not in, or is no message link at all', async () => {
    const { page } = workbench;
    const elsewhere = 'ws://127.0.0.1:9/design';
    await openUrl(page, `${LINK_PREFIX}${'ab'.repeat(16)}?room=${encodeURIComponent(elsewhere)}`);
    await openUrl(page, `${LINK_PREFIX}not-a-message?room=${encodeURIComponent(address)}`);
    await runCommand(page, 'Notifications: Show Notifications');
    await notification(page, `Secure Chat: the link is to a message in the room at ${elsewhere}, and this window is not in that room.`).waitFor();
    await notification(page, 'Secure Chat: cannot open the link: the message it names is not a message id (32 lowercase hex digits).').waitFor();
  });
});
