// The chat panel in real Chromium, served by the webview harness (the provider's page and CSP,
// dist/webview.js, media/chat.css) with its fake host: layout, scrolling and keyboard behaviour
// that needs a real browser but not a whole workbench, at the widths users have.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { ChatItem, HostToView } from '../../src/protocol/panel';
import { Chromium, launchChromium } from '../harness/browser';
import { Harness, startHarness } from '../webview-harness/serve';

interface Open {
  readonly width?: number;
  readonly height?: number;
}

/** Scroll metrics of the message list. */
interface Scroll {
  readonly top: number;
  readonly fromBottom: number;
  readonly height: number;
}

describe('chat panel in Chromium', function () {
  this.timeout(30000);
  let harness: Harness;
  let chromium: Chromium;
  let page: Page;
  /** Errors thrown in the harness page, by test; the last test checks there were none. */
  const errors: string[] = [];

  before(async function () {
    this.timeout(60000);
    harness = await startHarness();
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.stop();
    await harness?.close();
  });
  let title = '';
  beforeEach(function () {
    title = this.currentTest?.title ?? '';
  });
  afterEach(async () => {
    await page?.close();
  });

  async function open(query: string, { width = 380, height = 820 }: Open = {}): Promise<void> {
    page = await chromium.browser.newPage({ viewport: { width, height } });
    page.setDefaultTimeout(10000);
    const test = title;
    page.on('pageerror', (error) => errors.push(`${test}: ${error.message}`));
    await page.goto(`${harness.url}?${query}`);
    await page.locator('#app').waitFor({ state: 'attached' });
  }

  /** Waits for `count` animation frames in the page: the list renders in frames. */
  const frames = (count = 3): Promise<void> =>
    page.evaluate(`new Promise((resolve) => { const step = (left) => requestAnimationFrame(() => (left <= 1 ? resolve() : step(left - 1))); step(${count}); })`);

  const scroll = (): Promise<Scroll> =>
    page.evaluate(`(() => { const s = document.querySelector('.scroller'); return { top: s.scrollTop, fromBottom: s.scrollHeight - s.clientHeight - s.scrollTop, height: s.clientHeight }; })()`);

  const toView = (message: HostToView): Promise<void> => page.evaluate(`harness.toView(${JSON.stringify(message)})`);

  /** Resolves once `condition` (page code) holds, checked every frame; page.waitForFunction would need eval, which the page's CSP forbids. */
  const until = (condition: string): Promise<void> =>
    page.evaluate(`new Promise((resolve, reject) => {
      const deadline = performance.now() + 10000;
      const check = () => (${condition}) ? resolve() : performance.now() > deadline ? reject(new Error(${JSON.stringify(`timed out waiting for ${condition}`)})) : requestAnimationFrame(check);
      check();
    })`);

  /** Runs `expression` (page code) with `node` bound to the first element matching `selector`. */
  const measure = <T>(selector: string, expression: string): Promise<T> =>
    page.evaluate<T>(`(() => { const node = document.querySelector(${JSON.stringify(selector)}); return ${expression}; })()`);

  const posted = (type: string): Promise<number> => page.evaluate(`harness.posted.filter((m) => m.type === ${JSON.stringify(type)}).length`);

  function item(id: number, text: string, extra: Partial<ChatItem> = {}): ChatItem {
    return { id: id.toString(16).padStart(32, '0'), seq: id, username: 'bob', timestamp: Date.now(), text, own: false, status: 'sent', ...extra };
  }

  it('shows a loading state until the host has sent the first snapshot', async () => {
    await open('scenario=silent');
    const loading = page.locator('.loading[role="status"]');
    await loading.waitFor({ state: 'visible' });
    assert.strictEqual(await loading.textContent(), 'Loading Secure Chat…');
    assert.strictEqual(await page.locator('#app').getAttribute('aria-busy'), 'true');
    await toView({ type: 'snapshot', connection: { status: 'disconnected' }, me: null, messages: [], online: [], hasOlder: false });
    await page.locator('.empty h2', { hasText: 'Welcome to Secure Chat' }).waitFor();
    assert.strictEqual(await loading.count(), 0);
    assert.strictEqual(await page.locator('#app').getAttribute('aria-busy'), null);
  });

  /**
   * The widest width (10 px steps) at which the empty composer's placeholder takes two lines and
   * typed text one, found once in a page of its own: it depends on the fonts the machine has
   * (about 290-330 px with the default ones), so it is measured, not assumed.
   */
  let narrowWidth: number | undefined;
  async function narrow(): Promise<number> {
    if (narrowWidth !== undefined) return narrowWidth;
    await open('scenario=long&count=1');
    await page.locator('.row.message').first().waitFor();
    try {
      for (let width = 400; width >= 200; width -= 10) {
        await page.setViewportSize({ width, height: 820 });
        await frames();
        if ((await measure<number>('.composer-input', 'node.getBoundingClientRect().height')) > 40) return (narrowWidth = width);
      }
      throw new Error('the placeholder never takes two lines between 400 and 200 px');
    } finally {
      await page.close();
    }
  }

  async function assertPlaceholderWraps(): Promise<void> {
    const height = await measure<number>('.composer-input', 'node.getBoundingClientRect().height');
    assert.ok(height > 40, `the placeholder takes two lines at ${narrowWidth} px (the box is ${height} px tall)`);
  }

  it('keeps following the conversation after a send where the placeholder wraps', async () => {
    await open('scenario=long&count=60', { width: await narrow() });
    await page.locator('.row.message').first().waitFor();
    await frames();
    await assertPlaceholderWraps();
    assert.strictEqual((await scroll()).fromBottom, 0, 'starts at the bottom');
    // Typing takes frames; the box shrinks to the text's one line as it does.
    await page.locator('.composer-input').fill('On my way');
    await frames();
    await page.locator('.composer-input').press('Enter');
    await page.locator('.row.own', { hasText: 'On my way' }).waitFor();
    assert.strictEqual(await page.locator('.composer-input').inputValue(), '');
    await frames();
    assert.ok((await scroll()).fromBottom <= 1, `after sending: ${JSON.stringify(await scroll())}`);
    await toView({ type: 'messages', items: [item(0xabc001, '@dana are you there?')], position: 'append', hasOlder: false });
    await page.locator('.row.message', { hasText: 'are you there' }).waitFor();
    await frames();
    assert.ok((await scroll()).fromBottom <= 1, `after a reply: ${JSON.stringify(await scroll())}`);
  });

  it('lands exactly at the bottom when opened with 2,000 messages', async () => {
    await open('scenario=long&count=2000', { width: await narrow() });
    await page.locator('.row.message').first().waitFor();
    await frames();
    await assertPlaceholderWraps();
    // What the host sends after a snapshot, each in its own task: the username, the connection.
    await toView({ type: 'config', username: 'dana' });
    await frames();
    await toView({ type: 'connection', status: 'connected', address: 'ws://team-box:7531' });
    await frames();
    assert.strictEqual((await scroll()).fromBottom, 0);
  });

  describe('at the bottom, whatever changes the panel\'s height', () => {
    /**
     * How far from the bottom the list is once the frame after `action` (page code) has painted: the
     * list must settle in the frame the height changes, never one frame late.
     */
    const afterPaint = (action: string, viaHost = false): Promise<number> => page.evaluate<number>(`new Promise((resolve) => {
      const s = document.querySelector('.scroller');
      const measure = () => requestAnimationFrame(() => setTimeout(() => resolve(s.scrollHeight - s.clientHeight - s.scrollTop)));
      if (${viaHost}) window.addEventListener('message', measure, { once: true });
      ${action};
      if (!${viaHost}) measure();
    })`);
    const typeInComposer = (text: string): string =>
      `(() => { const input = document.querySelector('.composer-input'); input.value = ${JSON.stringify(text)}; input.dispatchEvent(new Event('input')); })()`;

    it('stays at the bottom as the composer grows and shrinks, the error line shows and a banner comes and goes', async () => {
      await open('scenario=long&count=300');
      await page.locator('.row.message').first().waitFor();
      await frames();
      assert.strictEqual((await scroll()).fromBottom, 0);
      const steps: [string, string, boolean][] = [
        ['composer grows to five lines', typeInComposer('one\ntwo\nthree\nfour\nfive'), false],
        ['composer shrinks to one line', typeInComposer('one'), false],
        ['error line', `harness.toView(${JSON.stringify({ type: 'error', message: 'Could not load older messages: the server is busy.' })})`, true],
        ['error line goes', typeInComposer('one more'), false],
        ['banner', `harness.toView(${JSON.stringify({ type: 'connection', status: 'reconnecting', detail: 'the connection was lost', retryAt: Date.now() + 60_000, address: 'ws://team-box:7531', actions: ['reconnect'] })})`, true],
        ['banner goes', `harness.toView(${JSON.stringify({ type: 'connection', status: 'connected', address: 'ws://team-box:7531' })})`, true],
      ];
      for (const [what, action, viaHost] of steps) assert.ok(await afterPaint(action, viaHost) <= 1, what);
    });
  });

  describe('unread and position', () => {
    const jump = () => page.locator('.jump-latest');
    const divider = () => page.locator('.row.message .unread-divider');

    it('counts what arrives below while scrolled up, marks the first with "New messages" and jumps to the latest', async () => {
      await open('scenario=long&count=300&pages=0');
      await page.locator('.row.message').first().waitFor();
      await frames();
      assert.strictEqual(await jump().isVisible(), false, 'no jump button at the bottom');
      await page.evaluate(`document.querySelector('.scroller').scrollTop = 2000`);
      await jump().filter({ hasText: /^Jump to latest$/u }).waitFor();
      await toView({ type: 'messages', items: [item(0xabc101, 'first of the news'), item(0xabc102, 'second of the news')], position: 'append', hasOlder: false });
      await jump().filter({ hasText: /^2 new messages below$/u }).waitFor();
      assert.ok((await scroll()).fromBottom > 1000, 'the list stays where the user reads');
      await jump().click();
      await page.locator('.row.message', { hasText: 'first of the news' }).locator('.unread-divider', { hasText: 'New messages' }).waitFor();
      await jump().waitFor({ state: 'hidden' });
      await frames();
      assert.strictEqual((await scroll()).fromBottom, 0);
      assert.strictEqual(await divider().count(), 1);
      // More news at the bottom is read as it comes: no count, the divider stays where it was.
      await toView({ type: 'messages', items: [item(0xabc103, 'third, read at once')], position: 'append', hasOlder: false });
      await page.locator('.row.message', { hasText: 'third, read at once' }).waitFor();
      await frames();
      assert.strictEqual(await jump().isVisible(), false);
      assert.strictEqual(await divider().count(), 1);
      // Sending is answering: the divider goes.
      await page.locator('.composer-input').fill('Read them all');
      await page.locator('.composer-input').press('Enter');
      await page.locator('.row.own', { hasText: 'Read them all' }).waitFor();
      await divider().waitFor({ state: 'detached' });
    });

    it('opens where the user left off: the first message that came while hidden under "New messages", near the top', async () => {
      await open('scenario=silent');
      const messages = Array.from({ length: 100 }, (_, i) => item(i + 1, `message number ${i + 1}`, { timestamp: Date.now() - (100 - i) * 1000 }));
      await toView({ type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages, online: [{ name: 'bob', me: false }, { name: 'dana', me: true }], hasOlder: false, unreadFrom: messages[39].id });
      const first = page.locator('.row.message', { hasText: 'message number 40' });
      await first.locator('.unread-divider', { hasText: 'New messages' }).waitFor();
      await frames();
      const [rowTop, listTop] = await Promise.all([
        first.evaluate((node) => node.getBoundingClientRect().top),
        page.locator('.scroller').evaluate((node) => node.getBoundingClientRect().top),
      ]);
      assert.ok(rowTop - listTop >= 0 && rowTop - listTop <= 60, `the first unread message is near the top (${rowTop - listTop} px)`);
      await jump().filter({ hasText: /^61 new messages below$/u }).waitFor();
      await jump().click();
      await jump().waitFor({ state: 'hidden' });
    });
  });

  describe('scrolling up from the bottom', () => {
    beforeEach(async () => {
      await open('scenario=long&count=300');
      await page.locator('.row.message').first().waitFor();
      await frames();
      assert.strictEqual((await scroll()).fromBottom, 0);
    });

    it('follows a 5 px wheel step', async () => {
      const box = await page.locator('.scroller').boundingBox();
      assert.ok(box);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -5);
      await until(`document.querySelector('.scroller').scrollHeight - document.querySelector('.scroller').clientHeight - document.querySelector('.scroller').scrollTop >= 5`);
      await frames();
      assert.strictEqual(Math.round((await scroll()).fromBottom), 5, 'stays where the wheel left it');
    });

    for (const key of ['PageUp', 'Shift+Space']) {
      it(`follows ${key}`, async () => {
        await page.locator('.scroller').focus();
        await page.keyboard.press(key);
        const { height } = await scroll();
        await until(`(() => { const s = document.querySelector('.scroller'); return s.scrollHeight - s.clientHeight - s.scrollTop >= ${height / 2}; })()`);
        await frames();
        assert.ok((await scroll()).fromBottom >= height / 2, 'not snapped back to the bottom');
      });
    }
  });

  it('moves between messages with the arrow keys and returns to the composer with Escape', async () => {
    await open('scenario=long&count=300');
    await page.locator('.row.message').first().waitFor();
    await frames();
    const focusedRow = (): Promise<string> => page.evaluate<string>(`(() => { const row = document.activeElement.closest('.row'); return row ? row.getAttribute('aria-posinset') + ' ' + row.className : document.activeElement.className; })()`);
    const setSize = Number(await page.locator('.row').first().getAttribute('aria-setsize'));
    await page.locator('.scroller').focus();
    await page.keyboard.press('ArrowUp');
    assert.match(await focusedRow(), new RegExp(`^${setSize} row message`, 'u'), 'the last message');
    await page.keyboard.press('ArrowUp');
    const previous = await focusedRow();
    assert.match(previous, /^\d+ row message/u);
    assert.ok(Number(previous.split(' ')[0]) < setSize);
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowUp');
    await frames();
    assert.ok((await scroll()).fromBottom > 0, 'the list scrolled with the focus');
    assert.match(await focusedRow(), /^\d+ row message/u, 'day separators are skipped');
    await page.keyboard.press('ArrowDown');
    assert.match(await focusedRow(), /^\d+ row message/u);
    await page.keyboard.press('Escape');
    assert.strictEqual(await page.evaluate('document.activeElement.className'), 'composer-input');
  });

  describe('older history', () => {
    it('keeps loading pages while the list stays at the top', async () => {
      await open('scenario=long&count=40&pages=6');
      await page.locator('.row.message').first().waitFor();
      for (let loaded = 1; loaded <= 6; loaded++) {
        await page.evaluate(`document.querySelector('.scroller').scrollTop = 0`);
        await until(`harness.posted.filter((m) => m.type === 'loadOlder').length >= ${loaded}`);
        await page.locator('.history-edge', { hasNotText: 'Loading' }).waitFor();
        await frames();
      }
      assert.strictEqual(await posted('loadOlder'), 6);
      await page.evaluate(`document.querySelector('.scroller').scrollTop = 0`);
      await page.locator('.history-edge', { hasText: 'Start of the conversation' }).waitFor();
    });

    it('keeps the message being read in place when older messages come in above it', async () => {
      await open('scenario=long&count=40&pages=2');
      await page.locator('.row.message').first().waitFor();
      await frames();
      await page.evaluate(`document.querySelector('.scroller').scrollTop = 0`);
      await frames();
      const reading = await page.evaluate<{ text: string; top: number }>(`(() => {
        const top = document.querySelector('.scroller').getBoundingClientRect().top;
        const rows = [...document.querySelectorAll('.row.message')].map((row) => ({ text: row.textContent, top: row.getBoundingClientRect().top }));
        return rows.filter((row) => row.top >= top).sort((a, b) => a.top - b.top)[0];
      })()`);
      await until(`harness.posted.some((m) => m.type === 'loadOlder')`);
      await page.locator('.history-edge', { hasText: 'Load older messages' }).waitFor();
      await frames();
      const after = await page.evaluate<number>(`[...document.querySelectorAll('.row.message')].find((row) => row.textContent === ${JSON.stringify(reading.text)}).getBoundingClientRect().top`);
      assert.ok(Math.abs(after - reading.top) <= 2, `the message read moved from ${reading.top} to ${after}`);
    });
  });

  it('keeps rendering after a message whose timestamp Date cannot hold', async () => {
    await open('scenario=conversation');
    await page.locator('.row.message').first().waitFor();
    await toView({ type: 'messages', items: [item(0xabc002, 'from the far future', { timestamp: 9e15 })], position: 'append', hasOlder: true });
    await toView({ type: 'messages', items: [item(0xabc003, 'still here')], position: 'append', hasOlder: true });
    await page.locator('.row.message', { hasText: 'from the far future' }).waitFor();
    await page.locator('.row.message', { hasText: 'still here' }).waitFor();
  });

  it('holds a bounded list however many messages arrive', async () => {
    await open('scenario=long&count=10');
    await page.locator('.row.message').first().waitFor();
    for (let batch = 0; batch < 12; batch++) {
      await page.evaluate(`(() => {
        const items = [];
        for (let i = 0; i < 1000; i++) {
          const n = 0x200000 + ${batch} * 1000 + i;
          items.push({ id: n.toString(16), seq: n, username: 'bob', timestamp: Date.now(), text: 'flood ' + n, own: false, status: 'sent' });
        }
        harness.toView({ type: 'messages', items, position: 'append', hasOlder: false });
      })()`);
    }
    await page.locator('.row.message', { hasText: `flood ${0x200000 + 11999}` }).waitFor();
    await frames();
    const setSize = Number(await page.locator('.row').first().getAttribute('aria-setsize'));
    assert.ok(setSize <= 10_000 + 10, `${setSize} rows`);
    assert.ok((await page.locator('.row').count()) < 200, 'only rows near the view are in the DOM');
    await page.evaluate(`document.querySelector('.scroller').scrollTop = 0`);
    await page.locator('.history-edge', { hasText: 'The panel keeps the latest 10,000 messages' }).waitFor();
  });

  it('isolates names, paths and text from others for bidi, so override characters reorder nothing around them', async () => {
    await open('scenario=silent');
    // Names and paths refuse format characters (Cf), so they carry right-to-left letters here; the
    // text still carries a right-to-left override.
    const name = 'bob\u05d0';
    await toView({
      type: 'snapshot', connection: { status: 'connected' }, me: 'dana', online: [{ name, me: false }, { name: 'dana', me: true }], hasOlder: false,
      messages: [item(1, '\u202eevil *em* `code` [link](https://example.com)', {
        username: name,
        snippet: { code: 'x', language: 'ts', path: 'src/\u05d0a.ts', startLine: 1, endLine: 2 },
      })],
    });
    await toView({ type: 'presence', online: [{ name, me: false }, { name: 'dana', me: true }], joined: name });
    await page.locator('.row.message').waitFor();
    await page.click('.online-summary');
    const styles = await page.evaluate<string[]>(`[...document.querySelectorAll('.author, .online-list .name, .presence-event bdi, .reference .path, .language, .body p, .body em, .body p code, .body a')]
      .map((node) => (node.className || node.tagName) + ': ' + getComputedStyle(node).unicodeBidi)`);
    assert.deepStrictEqual([...styles].sort(), [
      'A: isolate', 'BDI: isolate', 'CODE: isolate', 'EM: isolate', 'P: isolate', 'author: isolate', 'language: isolate', 'name: isolate', 'name: isolate',
      'path: isolate',
    ]);
  });

  it('gives code a background of its own in Light Modern, whose code block colour is the side bar\'s', async () => {
    await open('theme=light&scenario=conversation');
    await page.locator('.body pre').first().waitFor();
    const colours = await page.evaluate<string[]>(`['body', '.body pre', '.body p code'].map((selector) => getComputedStyle(document.querySelector(selector)).backgroundColor)`);
    const [sideBar, block, inline] = colours;
    assert.notStrictEqual(block, sideBar, 'code block');
    assert.notStrictEqual(inline, sideBar, 'inline code');
  });

  it('lets everything be seen at 220 px: the snippet path wraps, code scrolls, the placeholder is whole', async () => {
    await open('scenario=conversation', { width: 220 });
    await page.locator('.reference').first().waitFor();
    await page.locator('.reference').first().scrollIntoViewIfNeeded();
    const reference = await measure<{ scroll: number; client: number; right: number }>('.reference', '({ scroll: node.scrollWidth, client: node.clientWidth, right: node.getBoundingClientRect().right })');
    assert.ok(reference.scroll <= reference.client, `path cut off: ${JSON.stringify(reference)}`);
    assert.ok(reference.right <= 220, `path beyond the panel: ${JSON.stringify(reference)}`);
    const code = await measure<{ overflowX: string; right: number }>('.snippet pre', '({ overflowX: getComputedStyle(node).overflowX, right: node.getBoundingClientRect().right })');
    assert.deepStrictEqual([code.overflowX, code.right <= 220], ['auto', true], 'code scrolls inside the panel');
    const input = await measure<{ scroll: number; client: number; value: string }>('.composer-input', '({ scroll: node.scrollHeight, client: node.clientHeight, value: node.value })');
    assert.strictEqual(input.value, '');
    assert.ok(input.scroll <= input.client, `placeholder cut off: ${JSON.stringify(input)}`);
    // One's own message has the most actions: all of them in the panel, none over the row's text.
    const own = page.locator('.row.message.own:not(.pending)').last();
    await own.scrollIntoViewIfNeeded();
    await own.hover({ position: { x: 60, y: 6 } });
    const bar = await own.evaluate((row) => {
      const body = row.querySelector('.body')!.getBoundingClientRect();
      return [...row.querySelectorAll('.actions .action')].map((button) => {
        const box = button.getBoundingClientRect();
        return { inside: box.left >= 0 && box.right <= 220, aboveText: box.bottom <= body.top };
      });
    });
    assert.ok(bar.length >= 8, `the bar shows its actions: ${bar.length}`);
    assert.deepStrictEqual(bar.filter((button) => !button.inside || !button.aboveText), [], 'every action in the panel and above the text');
  });

  // Last, after the nested suites: every page above was watched for errors.
  describe('afterwards', () => {
    it('raised no error in any page', () => {
      assert.deepStrictEqual(errors, []);
    });
  });
});
