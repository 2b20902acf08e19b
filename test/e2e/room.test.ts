// A room from the first run to daily life, in the real workbench: the first-run choices, joining a
// teammate's room with its password stored for the right address, Reconnect after Disconnect, the
// username's length in words a person understands, creating a room with a confirmed password that
// meets the floor, the invite step, a partial-line selection sent as a snippet, and stopping one's
// own server without the chat retrying it for ever.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { ChatClient } from '../../src/client';
import { accountUsername } from '../../src/host/rules/accountUsername';
import { RunningServer, startChatServer } from '../../src/server/server';
import { freePort } from '../harness/codeServer';
import { tempDataDir } from '../support/testServer';
import {
  answerInput, chatFrame, clearNotifications, inputBox, notification, openViewContainer, openWorkspaceFile, runCommand, selectDown, sideBar, statusBarItem, useWorkbench,
} from './workbench';

/** The teammate's room this window joins: its password, as whoever created it chose it. */
const JOIN_PASSWORD = 'purple stapler orbit';
/** The room this window creates with "Start a room". */
const NEW_PASSWORD = 'seven quiet lanterns';
/** The file a selection is sent from. */
const AREA_TS = [
  'export function area(width: number, height: number): number {',
  '  if (width < 0 || height < 0) {',
  '    throw new Error(\'negative size\');',
  '  }',
  '  return width * height;',
  '}',
  '',
];
/** 14 characters, 17 bytes of UTF-8: three of its letters take two bytes. */
const LONG_NAME = 'Noémie Lefèvré';

describe('a room from first run to daily life', () => {
  const settings: Record<string, unknown> = {};
  let teammate: RunningServer;
  let joinAddress = '';
  let ownAddress = '';
  before(async function () {
    this.timeout(60000);
    // A teammate's server, on another port than the one "Start a room" uses, with real iterations.
    teammate = await startChatServer({ password: JOIN_PASSWORD, dataDir: tempDataDir(), host: '127.0.0.1', port: 0 });
    joinAddress = `ws://127.0.0.1:${teammate.port}`;
    const port = await freePort();
    settings['secureChat.server.port'] = port;
    ownAddress = `ws://127.0.0.1:${port}`;
  });
  after(async () => {
    await teammate?.close();
  });
  const workbench = useWorkbench(settings);
  const panel = () => chatFrame(workbench.page);
  const panelButton = (name: string) => panel().getByRole('button', { name, exact: true });

  /** How far the message list is from its bottom, in px, once the panel has drawn a few frames. */
  const fromBottom = () => panel().locator('.scroller').evaluate(
    (node: { scrollHeight: number; clientHeight: number; scrollTop: number }) => new Promise<number>((resolve) => {
      const nextFrame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number }).requestAnimationFrame;
      const frames = (left: number): void => void nextFrame(() => (left <= 1 ? resolve(node.scrollHeight - node.clientHeight - node.scrollTop) : frames(left - 1)));
      frames(3);
    }),
  );

  async function expectNotification(page: Page, text: string): Promise<void> {
    await runCommand(page, 'Notifications: Show Notifications');
    await notification(page, text).waitFor();
  }

  /** Clears the notifications, so the next one a test expects is the only one. */
  const clearAll = (page: Page) => clearNotifications(page, page.locator('.notifications-center .notification-list-item').first());

  it('offers two clear choices on the first run: "Start a room" and "Join a room"', async () => {
    await openViewContainer(workbench.page, 'Secure Chat');
    await panelButton('Start a room').waitFor();
    await panelButton('Join a room').waitFor();
    assert.strictEqual(await panel().locator('.empty-actions button.primary').textContent(), 'Start a room');
  });

  it('asks which room a password is for before asking for it, and stores it for that address', async () => {
    const { page } = workbench;
    await panelButton('Set Room Password').click();
    const address = inputBox(page, 'Secure Chat: Set Room Password (1/2)');
    await address.title.waitFor();
    assert.strictEqual(await address.input.getAttribute('placeholder'), 'ws://host:port');
    await answerInput(page, joinAddress, 'Secure Chat: Set Room Password (1/2)');
    const password = inputBox(page, 'Secure Chat: Set Room Password (2/2)');
    await password.title.waitFor();
    assert.match(await password.message.textContent() ?? '', new RegExp(`room password for ${joinAddress}`, 'u'));
    assert.strictEqual(await password.input.getAttribute('type'), 'password');
    assert.ok(await password.input.getAttribute('placeholder'), 'the password box has a placeholder');
    await answerInput(page, JOIN_PASSWORD, 'Secure Chat: Set Room Password (2/2)');

    // Joining that address needs no password now: it was stored for it, not for ws://127.0.0.1:7777.
    // The first Join asks for the name others will see, suggesting the account's; never again after.
    await panelButton('Join a room').click();
    const name = inputBox(page, 'Secure Chat: Your Display Name');
    await name.title.waitFor();
    assert.strictEqual(await name.input.inputValue(), accountUsername(), 'the account name is the suggestion');
    assert.ok(await name.input.getAttribute('placeholder'), 'the name box has a placeholder');
    await answerInput(page, 'dana', 'Secure Chat: Your Display Name');
    const join = inputBox(page, 'Secure Chat: Join a Room (1/2)');
    await join.title.waitFor();
    assert.strictEqual(await join.input.inputValue(), joinAddress, 'Join suggests the address the password was set for');
    assert.strictEqual(await join.input.getAttribute('placeholder'), 'ws://host:port');
    await answerInput(page, joinAddress, 'Secure Chat: Join a Room (1/2)');
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
  });

  it('offers Reconnect after Disconnect, and reconnects', async () => {
    const { page } = workbench;
    await panel().locator('textarea.composer-input').fill('Hello from the joined room.');
    await panel().locator('textarea.composer-input').press('Enter');
    await panel().locator('.row.message.own.sent', { hasText: 'Hello from the joined room.' }).waitFor();
    await runCommand(page, 'Secure Chat: Disconnect');
    await statusBarItem(page, 'Secure Chat: offline').waitFor();
    await panel().locator('.banner', { hasText: 'Offline' }).getByRole('button', { name: 'Reconnect' }).click();
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
    await panel().locator('.banner').waitFor({ state: 'hidden' });
  });

  it('says a username is too long in bytes a person can act on', async () => {
    const { page } = workbench;
    await runCommand(page, 'Secure Chat: Set Username');
    const box = inputBox(page, 'Secure Chat: Username');
    await box.title.waitFor();
    await box.input.fill(LONG_NAME);
    await box.message.filter({ hasText: 'too long' }).waitFor();
    assert.strictEqual(
      await box.message.textContent(),
      'Username is too long: at most 16 bytes, this name needs 17; use a shorter name or fewer accented letters',
    );
    assert.ok(await box.input.getAttribute('placeholder'), 'the username box has a placeholder');
    await answerInput(page, 'alice', 'Secure Chat: Username');
  });

  it('creates a room only with a confirmed password that meets the floor, and says why', async () => {
    const { page } = workbench;
    await runCommand(page, 'Secure Chat: Start Server');
    const choose = inputBox(page, 'Secure Chat: New Room Password (1/2)');
    await choose.title.waitFor();
    const chooseText = await choose.message.textContent() ?? '';
    assert.match(chooseText, /^Choose a password for the new room on ws:\/\/127\.0\.0\.1:\d+: at least 12 characters/u);
    assert.match(chooseText, /offline/u, 'the prompt says why the floor exists');
    await choose.input.fill('orbit');
    await choose.message.filter({ hasText: 'Too short' }).waitFor();
    await answerInput(page, NEW_PASSWORD, 'Secure Chat: New Room Password (1/2)');
    const confirm = inputBox(page, 'Secure Chat: New Room Password (2/2)');
    await confirm.title.waitFor();
    assert.doesNotMatch(`${chooseText} ${await confirm.message.textContent()}`, /\bEnter the\b/u, 'one wording through the flow');
    await confirm.input.fill(`${NEW_PASSWORD}!`);
    await page.keyboard.press('Enter');
    await confirm.message.filter({ hasText: 'do not match' }).waitFor();
    await answerInput(page, NEW_PASSWORD, 'Secure Chat: New Room Password (2/2)');
    // The chat moves from the joined room to the new one, which has no messages yet.
    await panel().locator('.empty h2', { hasText: 'No messages yet' }).waitFor();
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
  });

  it('shows an "Invite teammates" step once the server runs: the address, and the password told separately', async () => {
    const { page } = workbench;
    await expectNotification(page, `Your room is running at ${ownAddress}`);
    const invite = notification(page, `Your room is running at ${ownAddress}`);
    assert.match(await invite.textContent() ?? '', /password separately/u);
    await invite.getByRole('button', { name: 'Invite Teammates' }).waitFor();
    await clearAll(page);
  });

  it('sends a partial-line selection with its first line\'s indentation and no whitespace-only last line', async () => {
    const { page } = workbench;
    await openWorkspaceFile(workbench, 'src/area.ts', AREA_TS);
    // From the "if" (after the indentation) down to the indentation of the closing brace.
    await selectDown(page, 2, 3, 2);
    await runCommand(page, 'Secure Chat: Send Selection to');
    // It waits in the composer for a comment (composer.test.ts covers that); Enter sends it alone.
    await panel().locator('.attachment').waitFor();
    await panel().locator('textarea.composer-input:focus').press('Enter');
    const snippet = panel().locator('.row.message .snippet', { hasText: 'negative size' });
    await snippet.waitFor();
    assert.strictEqual(await snippet.locator('.reference').textContent(), 'src/area.ts:2-3');
    assert.strictEqual(await snippet.locator('code').textContent(), '  if (width < 0 || height < 0) {\n    throw new Error(\'negative size\');\n');
  });

  it('stops the own server cleanly: the chat disconnects, says why, offers Start and Reconnect, and keeps its place', async () => {
    const { page } = workbench;
    const bob = new ChatClient({ address: ownAddress, password: NEW_PASSWORD, username: 'bob' });
    try {
      await new Promise<void>((resolve, reject) => {
        bob.on('state', (state) => {
          if (state.status === 'connected') resolve();
          if (state.status === 'error') reject(new Error(state.message));
        });
        bob.connect();
      });
      for (let i = 1; i <= 40; i++) bob.send({ text: `Status line ${i} of the nightly build.` });
      await panel().locator('.row.message', { hasText: 'Status line 40 of the nightly build.' }).waitFor();
      assert.ok(await fromBottom() <= 1, 'the list follows the conversation');
    } finally {
      bob.dispose();
    }
    await runCommand(page, 'Secure Chat: Stop Server');
    await statusBarItem(page, 'Secure Chat: offline').waitFor();
    const banner = panel().locator('.banner', { hasText: 'The server on this computer was stopped' });
    await banner.getByRole('button', { name: 'Start Server' }).waitFor();
    await banner.getByRole('button', { name: 'Reconnect' }).waitFor();
    assert.ok(await fromBottom() <= 1, 'the list stays where it was');
    assert.strictEqual(await statusBarItem(page, 'reconnecting').count(), 0, 'not retrying a server that was stopped');
    await banner.getByRole('button', { name: 'Start Server' }).click();
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
    await clearAll(page).catch(() => undefined);
  });

  it('uses names no one confuses with another chat: the view, the context menu and the status bar', async () => {
    const { page } = workbench;
    assert.strictEqual(await sideBar(page).locator('.composite.title h2').textContent(), 'Secure Chat', 'the view is "Secure Chat", not "Chat"');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await page.locator('.monaco-editor .view-lines').first().click({ button: 'right' });
    await page.locator('.monaco-menu .action-label', { hasText: 'Send Selection to Secure Chat' }).waitFor();
    await page.keyboard.press('Escape');
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
  });

  it('opens the chat with Ctrl+Alt+/ and puts the keyboard in the composer', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'Explorer');
    await sideBar(page).locator('.composite.title', { hasText: 'Explorer' }).waitFor();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Alt+Slash');
    await panel().locator('textarea.composer-input:focus').waitFor();
  });
});
