import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Dialog, Frame, Locator, Page } from 'playwright-core';
import type WebSocket from 'ws';
import { ChatClient } from '../../src/client';
import { snippetPath } from '../../src/protocol/panel';
import { CLOSE_CODES } from '../../src/protocol/wire';
import { freePort } from '../harness/codeServer';
import {
  activeEditorTab, activityBadge, answerInput, chatFrame, clearNotifications, cursorPosition, notification, openViewContainer, runCommand, screenshot,
  sideBar, statusBarItem, useWorkbench,
} from './workbench';
import { unknowingServer } from './unknowingServer';

const PASSWORD = 'purple stapler orbit';
const FIRST_MESSAGE = 'Morning! The reconnect fix is ready for review.';

/**
 * Markup a hostile member might send. None uses markdown syntax or a web link, so each must come
 * out as exactly its own text; the hooks would retitle the page or open a dialog if they ran.
 */
const MESSAGE_PAYLOADS = [
  `<img src=x onerror="document.title='pwned'">`,
  `<script>document.title='pwned'</script>`,
  `<svg onload="document.title='pwned'"></svg>`,
  `<svg><script>alert('svg script')</script></svg>`,
  `"><iframe srcdoc="<script>parent.document.title='pwned'</script>"></iframe>`,
  `[open me](javascript:alert('markdown link'))`,
  `[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `<a href="javascript:alert('anchor')">click</a>`,
  `<body onload=alert('body')>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>`,
  `<details open ontoggle="alert('details')">`,
  `<object data="javascript:alert('object')"></object>`,
];
/** Markup as a username, within its 16 bytes. */
const USERNAME_PAYLOAD = '<img src=x>';
/** Elements no chat text may ever turn into (not `details`: the presence bar is one; the one input is the panel's own search box). */
const INJECTABLE = 'img, script, svg, iframe, object, embed, math, style, link, meta, body, input:not(.search-input)';

describe('chat panel', () => {
  // A free port for "Start Server", so the test never meets another server on 7777.
  const settings: Record<string, unknown> = {};
  before(async () => {
    settings['secureChat.server.port'] = await freePort();
    // A display name chosen, so Start and Join go straight to the room (room.test.ts covers the first ask).
    settings['secureChat.username'] = 'dana';
  });
  const workbench = useWorkbench(settings);
  const members = new Map<string, ChatClient>();

  after(() => {
    for (const member of members.values()) member.dispose();
  });

  /** Another member of the room: a headless client in this (plain Node) process, joined on first use. */
  async function member(username: string): Promise<ChatClient> {
    const joined = members.get(username);
    if (joined) return joined;
    const client = new ChatClient({ address: `ws://127.0.0.1:${settings['secureChat.server.port']}`, password: PASSWORD, username });
    members.set(username, client);
    const connected = new Promise<void>((resolve, reject) => client.on('state', (state) => {
      if (state.status === 'connected') resolve();
      if (state.status === 'error') reject(new Error(state.message));
    }));
    client.connect();
    await connected;
    return client;
  }

  const message = (text: string) => chatFrame(workbench.page).locator('.row.message', { hasText: text });
  /** How far the message list is from its bottom, in px, once the panel has drawn a few frames. */
  const fromBottom = () => chatFrame(workbench.page).locator('.scroller').evaluate(
    (node: { scrollHeight: number; clientHeight: number; scrollTop: number }) => new Promise<number>((resolve) => {
      // Page code: the browser's requestAnimationFrame, which this file's (Node) types do not name.
      const nextFrame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number }).requestAnimationFrame;
      const frames = (left: number): void => void nextFrame(() => (left <= 1 ? resolve(node.scrollHeight - node.clientHeight - node.scrollTop) : frames(left - 1)));
      frames(3);
    }),
  );
  const composer = () => chatFrame(workbench.page).locator('textarea.composer-input');

  it('opens from the activity bar', async () => {
    await openViewContainer(workbench.page, 'Secure Chat');
    await chatFrame(workbench.page).getByRole('button', { name: 'Join a room' }).waitFor();
  });

  it('opens from the command palette and shows the chat', async () => {
    await runCommand(workbench.page, 'View: Close Primary Side Bar');
    await sideBar(workbench.page).waitFor({ state: 'hidden' });
    await runCommand(workbench.page, 'Secure Chat: Open Chat');
    const heading = chatFrame(workbench.page).locator('h2');
    await heading.waitFor();
    assert.strictEqual(await heading.textContent(), 'Welcome to Secure Chat', 'the panel starts with the first run\'s choices');
    // Opening the chat puts the keyboard in the composer: what is typed next is a message.
    await chatFrame(workbench.page).locator('textarea.composer-input:focus').waitFor();
    await workbench.page.keyboard.type('typed');
    assert.strictEqual(await composer().inputValue(), 'typed');
    await composer().fill('');
    const file = await screenshot(sideBar(workbench.page), 'chat-panel');
    assert.ok(fs.statSync(file).size > 0);
  });

  it('keeps a message typed before connecting in the composer, with the reason it was not sent', async () => {
    await composer().fill(FIRST_MESSAGE);
    await composer().press('Enter');
    await chatFrame(workbench.page).locator('.composer-problem', { hasText: 'Not connected to a room yet' }).waitFor();
    assert.strictEqual(await composer().inputValue(), FIRST_MESSAGE, 'the refused text is still there to send later');
  });

  it('starts a server from the palette, asks for the password twice and connects', async () => {
    const { page } = workbench;
    await runCommand(page, 'Secure Chat: Set Username');
    await answerInput(page, 'alice', 'Secure Chat: Username');
    await runCommand(page, 'Secure Chat: Start Server');
    // A new room: its password is chosen, then confirmed.
    await answerInput(page, PASSWORD, 'Secure Chat: New Room Password (1/2)');
    await answerInput(page, PASSWORD, 'Secure Chat: New Room Password (2/2)');
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
  });

  it('sends what is typed in the composer, once connected, and shows it as sent', async () => {
    await composer().press('Enter');
    await message(FIRST_MESSAGE).and(chatFrame(workbench.page).locator('.own.sent')).waitFor();
    assert.strictEqual(await composer().inputValue(), '', 'the composer is cleared after sending');
    // The refusal from before connecting is answered: no stale "Not connected" under the composer.
    await chatFrame(workbench.page).locator('.composer-problem').waitFor({ state: 'hidden' });
  });

  it('shows messages from other members with their names: text, a snippet and a mention', async () => {
    const bob = await member('bob');
    await statusBarItem(workbench.page, 'Secure Chat: 2 online').waitFor();
    bob.send({ text: 'Nice. Is this the part that waits before retrying?' });
    await message('the part that waits').locator('.author', { hasText: 'bob' }).waitFor();
    bob.send({
      text: '',
      snippet: {
        code: 'next(): number {\n  const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempts);\n  this.attempts += 1;\n  return this.random(ceiling + 1);\n}',
        language: 'typescript', path: 'src/client/backoff.ts', startLine: 40, endLine: 44,
      },
    });
    await chatFrame(workbench.page).locator('.snippet .reference', { hasText: 'src/client/backoff.ts:40-44' }).waitFor();
    const carol = await member('carol');
    carol.send({ text: '@alice full jitter looks right to me. **Ship it** once CI is green.' });
    await message('Ship it').and(chatFrame(workbench.page).locator('.mentions-me')).waitFor();

    await composer().fill('Thanks both, merging after CI.');
    await composer().press('Enter');
    await message('merging after CI').and(chatFrame(workbench.page).locator('.own.sent')).waitFor();
    // The list still follows after the send: a reply arrives in view.
    carol.send({ text: '@alice one more thing: tag the release.' });
    await message('tag the release').waitFor();
    assert.ok(await fromBottom() <= 1, 'the list follows after a send');
    const file = await screenshot(sideBar(workbench.page), 'conversation');
    assert.ok(fs.statSync(file).size > 0);
  });

  describe('snippet references', () => {
    const reference = (text: string) => chatFrame(workbench.page).locator('.snippet .reference', { hasText: text });

    it('opens the referenced file with the cursor on the snippet\'s first line', async () => {
      const { page } = workbench;
      const lines = Array.from({ length: 30 }, (_, i) => `export const step${i + 1} = ${(i + 1) * 100};`);
      fs.mkdirSync(path.join(workbench.server.workspace, 'src'), { recursive: true });
      fs.writeFileSync(path.join(workbench.server.workspace, 'src', 'example.ts'), `${lines.join('\n')}\n`);
      const bob = await member('bob');
      bob.send({
        text: 'These are the steps I mean:',
        snippet: { code: lines.slice(11, 14).join('\n'), language: 'typescript', path: 'src/example.ts', startLine: 12, endLine: 14 },
      });
      await reference('src/example.ts:12-14').click();
      await activeEditorTab(page).filter({ hasText: 'example.ts' }).waitFor();
      await cursorPosition(page).filter({ hasText: 'Ln 12, Col 1' }).waitFor();
    });

    it('says so when the referenced file is not in the workspace, and opens nothing', async () => {
      const { page } = workbench;
      const tabs = page.locator('.tabs-container .tab');
      const openBefore = await tabs.count();
      const bob = await member('bob');
      bob.send({ text: '', snippet: { code: 'retry();', language: 'typescript', path: 'src/missing.ts', startLine: 5, endLine: 5 } });
      await reference('src/missing.ts:5').click();
      await runCommand(page, 'Notifications: Show Notifications');
      const warning = notification(page, 'src/missing.ts is not in this workspace, so line 5 cannot be shown');
      await warning.waitFor();
      assert.strictEqual(await tabs.count(), openBefore, 'no editor was opened');
      assert.match((await activeEditorTab(page).textContent()) ?? '', /example\.ts/u);
      await clearNotifications(page, warning);
    });
  });

  describe('untrusted content', () => {
    it('shows markup in messages and usernames as literal text and runs none of it', async () => {
      const { page } = workbench;
      const dialogs: string[] = [];
      const navigations: string[] = [];
      const onDialog = (dialog: Dialog): void => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      };
      const onNavigation = (frame: Frame): void => void navigations.push(frame.url());
      page.on('dialog', onDialog);
      page.on('framenavigated', onNavigation);
      try {
        const mallory = await member(USERNAME_PAYLOAD);
        const bodies = chatFrame(page).locator('.row.message .body');
        // One at a time: the list only mounts rows near the bottom, so each is checked while on screen.
        for (const payload of MESSAGE_PAYLOADS) {
          mallory.send({ text: payload });
          assert.strictEqual(await bodies.filter({ hasText: payload }).last().textContent(), payload);
        }
        const author = chatFrame(page).locator('.row.message .author', { hasText: USERNAME_PAYLOAD });
        assert.strictEqual(await author.first().textContent(), USERNAME_PAYLOAD);
        // The entry holds the name as text, then the panel's own "Verify" button.
        const online = chatFrame(page).locator('.online-list li', { hasText: USERNAME_PAYLOAD });
        assert.strictEqual(await online.locator('.name').textContent(), USERNAME_PAYLOAD);
        assert.deepStrictEqual(await online.locator('button').allTextContents(), ['Verify']);

        const app = chatFrame(page).locator('#app');
        const injected = await app.locator(INJECTABLE).evaluateAll((nodes: { outerHTML: string }[]) => nodes.map((node) => node.outerHTML));
        assert.deepStrictEqual(injected, [], 'no element was made from chat text');
        assert.strictEqual(await app.locator('a:not([href^="http://" i]):not([href^="https://" i])').count(), 0, 'only web links');
        // The hooks' marker: document.title rewrites the page's <title>.
        assert.strictEqual(await chatFrame(page).locator('head > title').textContent(), 'Secure Chat');
        assert.doesNotMatch(await page.title(), /pwned/u);
      } finally {
        page.off('dialog', onDialog);
        page.off('framenavigated', onNavigation);
      }
      assert.deepStrictEqual(dialogs, [], 'no dialog opened');
      assert.deepStrictEqual(navigations, [], 'no frame navigated');
    });
  });

  /** A link the workbench would run with one click; the side bar closing would show that it ran. */
  const RUNS = 'command:workbench.action.closeSidebar';
  const messageLinks = (item: Locator) => item.locator('.notification-list-item-message a');

  /** The notification holding `text` has no link, a click on its words runs nothing; returns its words. */
  async function expectPlain(page: Page, text: string): Promise<string> {
    await runCommand(page, 'Notifications: Show Notifications');
    const item = notification(page, text);
    await item.waitFor();
    const words = await item.locator('.notification-list-item-message').textContent() ?? '';
    assert.strictEqual(await messageLinks(item).count(), 0, `no link in "${await item.textContent()}"`);
    assert.strictEqual(await item.locator('[href^="command:" i]').count(), 0, 'no command: target');
    await item.locator('.notification-list-item-message').click();
    assert.ok(await sideBar(page).isVisible(), 'the click ran nothing');
    await clearNotifications(page, item);
    return words;
  }

  describe('notifications', () => {
    it('shows a member\'s link syntax in a mention notification as plain words that run nothing', async () => {
      const { page } = workbench;
      await openViewContainer(page, 'Explorer');
      await sideBar(page).locator('.composite.title', { hasText: 'Explorer' }).waitFor();
      const mallory = await member('mallory');
      mallory.send({ text: `[Open Chat](${RUNS}) @alice` });
      await expectPlain(page, '@alice');
      await openViewContainer(page, 'Secure Chat');
    });

    it('shows a snippet path with link syntax as text only, with no button that would open it', async () => {
      const { page } = workbench;
      const mallory = await member('mallory');
      const hostile = `[Open file](${RUNS})`;
      mallory.send({ text: '', snippet: { code: 'hostilePath();', language: 'typescript', path: hostile, startLine: 5, endLine: 5 } });
      const snippet = chatFrame(page).locator('.row.message', { hasText: 'hostilePath();' }).locator('.snippet');
      // Not a path the panel opens (isWorkspaceRelativePath): its words as text, nothing to click.
      assert.strictEqual(await snippet.locator('.reference-text').textContent(), `${snippetPath(hostile)}:5`);
      assert.strictEqual(await snippet.locator('button.reference').count(), 0, 'no open button');
      assert.strictEqual(await snippet.locator('a, [href]').count(), 0, 'no link');
    });
  });

  describe('unread badge', () => {
    it('counts messages that arrive while the chat is hidden and clears once it is shown', async () => {
      const { page } = workbench;
      const badge = activityBadge(page, 'Secure Chat');
      await openViewContainer(page, 'Explorer');
      await sideBar(page).locator('.composite.title', { hasText: 'Explorer' }).waitFor();
      const carol = await member('carol');
      // The first message proves the extension has seen the chat hidden before counting on it.
      carol.send({ text: 'CI is green on main.' });
      await badge.filter({ hasText: /^1$/u }).waitFor();
      carol.send({ text: 'Merged the reconnect fix.' });
      carol.send({ text: 'Tagging 0.2.0 after lunch.' });
      await badge.filter({ hasText: /^3$/u }).waitFor();

      await openViewContainer(page, 'Secure Chat');
      await message('Tagging 0.2.0 after lunch').waitFor();
      assert.strictEqual(await fromBottom(), 0, 'opened at the very bottom');
      await badge.waitFor({ state: 'hidden' });
    });
  });
  // Last: joining it leaves the room the tests above use.
  describe('a server that does not know the password', () => {
    /** What it chooses to say: a link the workbench would run, if its words reached the notification. */
    const HOSTILE = `[Open Chat](${RUNS})`;

    it('never shows its close reason or error message: the refusal reads in the extension\'s own words, with no link', async () => {
      const { page } = workbench;
      const refusals: ((socket: WebSocket) => void)[] = [
        (socket) => socket.close(CLOSE_CODES.authFailed, HOSTILE),
        (socket) => {
          socket.send(JSON.stringify({ type: 'error', code: 'auth-failed', message: HOSTILE }));
          socket.close(CLOSE_CODES.authFailed, HOSTILE);
        },
      ];
      for (const refuse of refusals) {
        const server = await unknowingServer(refuse);
        try {
          await runCommand(page, 'Secure Chat: Join a Room');
          await answerInput(page, server.address, 'Secure Chat: Join a Room (1/2)');
          await answerInput(page, 'a password this server cannot check', 'Secure Chat: Join a Room (2/2)');
          const words = await expectPlain(page, `wrong room password for ${server.address}`);
          assert.strictEqual(words, `Secure Chat: wrong room password for ${server.address} (the server rejected the room password).`);
        } finally {
          await server.close();
        }
      }
    });
  });
});
