// Helpers for UI tests: the real VS Code workbench (code-server) in Debian's Chromium, driven by
// playwright-core the way a user would: command palette, input boxes, activity bar, the chat webview.
import * as fs from 'fs';
import * as path from 'path';
import { FrameLocator, Locator, Page } from 'playwright-core';
import { Chromium, launchChromium } from '../harness/browser';
import { CodeServer, repoRoot, startCodeServer } from '../harness/codeServer';

const extensionId = 'secure-chat.secure-chat';
const screenshotDir = path.join(repoRoot, 'test-results');

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
}

/**
 * Registers mocha hooks that give the enclosing suite its own code-server and Chromium page with the
 * extension loaded from source, and stop both afterwards. Read the fields inside tests, not at load.
 * `settings` (user settings) is read when the hook runs, so an earlier hook may fill it in.
 */
export function useWorkbench(settings: Record<string, unknown> = {}): Workbench {
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  let page: Page | undefined;
  before(async function () {
    this.timeout(90000);
    server = await startCodeServer({ settings });
    chromium = await launchChromium();
    page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20000);
    await page.goto(server.workbenchUrl());
    await page.locator('.monaco-workbench').waitFor();
    // The workbench is ready for a user once our contributions are in: on a loaded machine that
    // takes longer than one action's timeout, so the first test would otherwise time out on it.
    await activityItem(page, 'Secure Chat').waitFor({ timeout: 60000 });
  });
  // What the extension itself logged, printed under a failed test: the extension host runs in
  // code-server, out of the test's sight, and a reload starts a new one with a log of its own.
  afterEach(function () {
    if (this.currentTest?.state !== 'failed' || !server) return;
    for (const file of server.extensionLogs()) {
      console.log(`--- ${path.basename(path.dirname(path.dirname(file)))}/${path.basename(file)}\n${fs.readFileSync(file, 'utf8').trimEnd()}`);
    }
  });
  after(async function () {
    this.timeout(30000);
    await chromium?.stop();
    await server?.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the workbench is not started: use it inside tests or hooks');
    return value;
  };
  return {
    get page() {
      return ready(page);
    },
    get server() {
      return ready(server);
    },
  };
}

/**
 * Runs a command from the palette by its full title, e.g. "Secure Chat: Open Chat". A command that
 * has just returned may still move the focus (Join a Room opens the chat view once its questions are
 * answered), which closes the palette under the typing: then the palette is opened again, up to
 * three times in all, each try bounded.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await page.locator('.quick-input-widget input').fill(`>${title}`, { timeout: 7000 });
      // The focused row, not any row: on a loaded machine the list may still show the recently used
      // commands first for a moment, and Enter would run one of those.
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Clears every notification and waits until `gone` has left the page. The command, typed while the
 * notification centre is closing or has the focus, is now and then taken by the workbench without
 * clearing (seen about once in five full runs on a loaded machine): then it is typed again, up to
 * three times in all, each try bounded.
 */
export async function clearNotifications(page: Page, gone: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Notifications: Clear All Notifications');
    try {
      await gone.waitFor({ state: 'detached', timeout: 7000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Types into the open input box (password, user name, ...) and confirms. With `title`, first waits
 * for the box with that title: the palette that opened it uses the same widget a moment earlier.
 */
export async function answerInput(page: Page, text: string, title?: string): Promise<void> {
  if (title) await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(text);
  await page.keyboard.press('Enter');
  // The box closes (or the next step replaces it) once the extension has validated and taken the
  // answer; opening the palette before that would dismiss it and lose the answer.
  if (title) await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'hidden' });
  else await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Joins the room at `address` from the palette as a first-time user, until the status bar counts
 * `online` members. The first Join asks for the display name itself: answering it there, rather
 * than with Set Username first, leaves no setting write in flight when Join reads it (on a loaded
 * machine Join then asked for the name again, which a step waiting for the address never answered).
 */
export async function joinRoomAs(page: Page, name: string, address: string, password: string, online: number): Promise<void> {
  await runCommand(page, 'Secure Chat: Join a Room');
  await answerInput(page, name, 'Secure Chat: Your Display Name');
  await answerInput(page, address, 'Secure Chat: Join a Room (1/2)');
  await answerInput(page, password, 'Secure Chat: Join a Room (2/2)');
  await statusBarItem(page, `Secure Chat: ${online} online`).waitFor();
}

/** The input box with this title (step included, e.g. "Secure Chat: Join a Room (1/2)"): its title, text field and message line. */
export function inputBox(page: Page, title: string): { title: Locator; input: Locator; message: Locator } {
  const widget = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
  return { title: widget.locator('.quick-input-title'), input: widget.locator('input').first(), message: widget.locator('.quick-input-message') };
}

/** Writes `lines` to the workspace file `relativePath` (with "/") and opens it with Go to File, as a user would. */
export async function openWorkspaceFile(workbench: Workbench, relativePath: string, lines: readonly string[]): Promise<void> {
  const file = path.join(workbench.server.workspace, ...relativePath.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n'));
  const { page } = workbench;
  const name = path.basename(file);
  // A file written a moment ago may not be in the file search's results yet on a loaded machine
  // (seen in a full run: 20 s without it); the picker opened again searches again. Three tries.
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Go to File...');
    await page.locator('.quick-input-widget input').fill(name);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
  }
  await page.keyboard.press('Enter');
  await activeEditorTab(page).filter({ hasText: name }).waitFor();
}

/** Selects in the active editor from `line`:`column` (Go to Line/Column) down `lines` lines (Shift+Down), until the status bar shows where it ends. */
export async function selectDown(page: Page, line: number, column: number, lines: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column...');
  await page.locator('.quick-input-widget input').fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  for (let i = 0; i < lines; i++) await page.keyboard.press('Shift+ArrowDown');
  await cursorPosition(page).filter({ hasText: `Ln ${line + lines}, Col ${column} (` }).waitFor();
}

/** "Developer: Reload Window", until the new page's workbench is there (the old page's would answer a wait at once). */
export async function reloadWindow(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 60000 });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
}

/**
 * Opens a URI as a link from outside VS Code would ("Developer: Open URL"), allowing the extension
 * to handle it when VS Code asks (it asks for each one until the user ticks "Do not ask me again").
 */
export async function openUrl(page: Page, url: string): Promise<void> {
  await runCommand(page, 'Developer: Open URL');
  const input = page.locator('.quick-input-widget input');
  await input.fill(url);
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** A view container's activity bar entry by its title, e.g. "Secure Chat". */
function activityItem(page: Page, title: string): Locator {
  return page.locator('.activitybar .action-item').filter({ has: page.locator(`.action-label[aria-label^="${title}"]`) });
}

/** Opens a view container from the activity bar; a click on its badge counts, as it does for a user. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  await activityItem(page, title).click();
}

/** The chat webview's document: VS Code nests it in two iframes. */
export function chatFrame(page: Page): FrameLocator {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).frameLocator('iframe#active-frame');
}

/** A status bar entry by (part of) its text. */
export function statusBarItem(page: Page, text: string): Locator {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text });
}

/** The unread count on a view container's activity bar entry, e.g. "Secure Chat". */
export function activityBadge(page: Page, title: string): Locator {
  return activityItem(page, title).locator('.badge .badge-content');
}

/** The tab of the editor that has focus in the editor area. */
export function activeEditorTab(page: Page): Locator {
  return page.locator('.tabs-container .tab.active');
}

/** The status bar's cursor position ("Ln 12, Col 1"): the active editor's selection, whatever is scrolled into view. */
export function cursorPosition(page: Page): Locator {
  return page.locator('.part.statusbar [id="status.editor.selection"]');
}

/**
 * A notification in the notification center by (part of) its text. The center, not a toast: the
 * smoke-test driver the harness enables (for its `payload` query) keeps VS Code from showing toasts.
 */
export function notification(page: Page, text: string): Locator {
  return page.locator('.notifications-center .notification-list-item', { hasText: text });
}

/** The side bar holding the chat panel. */
export function sideBar(page: Page): Locator {
  return page.locator('.part.sidebar');
}

/** Saves a PNG of `target` as test-results/<name>.png and returns its path. */
export async function screenshot(target: Locator, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await target.screenshot({ path: file });
  return file;
}
