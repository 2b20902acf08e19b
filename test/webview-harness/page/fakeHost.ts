// Stands in for VS Code and the extension host in the harness page: provides acquireVsCodeApi,
// applies a theme, and answers the webview like the extension would, from a sample conversation.
// Loaded before dist/webview.js. Query: ?theme=dark|light|hc&scenario=conversation|readme|offline|reconnecting|bench|long|silent
// (readme: the conversation as the README shows it, without the failed and the pending message;
// long: `count` bulk messages; silent: no answer to `ready`, the test sends the snapshot itself),
// and `pages`: how many pages of older history "load older" finds (2 unless given).
import type { ChatItem, HostToView, PanelSnapshot } from '../../../src/protocol/panel';
import { bulkConversation, ME, sampleConversation, TEAM_ONLINE } from './sampleConversation';
import { applyTheme, ThemeName } from './themes';

const query = new URLSearchParams(location.search);
const theme = (query.get('theme') ?? 'dark') as ThemeName;
const scenario = query.get('scenario') ?? 'conversation';
const now = Date.now();
const posted: unknown[] = [];
let state: unknown;
let nextId = 0xf00000;
let olderPages = Number(query.get('pages') ?? 2);
const longCount = Number(query.get('count') ?? 300);
/** Older pages continue right before what is shown, so the first of them shares its day. */
let olderBefore = scenario === 'long' ? now - longCount * 97_000 : now - 60 * 3600_000;

function toView(message: HostToView): void {
  window.postMessage(message, '*');
}

function frames(count: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number): void => void requestAnimationFrame(() => (left <= 1 ? resolve() : step(left - 1)));
    step(count);
  });
}

const connected = { status: 'connected', address: 'ws://team-box:7531' } as const;

function conversation(messages = sampleConversation(now)): PanelSnapshot {
  return { connection: connected, me: ME, messages, online: TEAM_ONLINE.filter((member) => member.name !== 'carol'), hasOlder: true };
}

function snapshot(): PanelSnapshot {
  switch (scenario) {
    case 'offline':
      return { connection: { status: 'disconnected' }, me: null, messages: [], online: [], hasOlder: false };
    case 'reconnecting':
      return {
        connection: { status: 'reconnecting', detail: 'in 8 s', address: connected.address }, me: ME,
        messages: sampleConversation(now), online: [], hasOlder: true, draft: 'A very long paste… '.repeat(1800),
      };
    case 'bench':
      return { connection: connected, me: ME, messages: [], online: TEAM_ONLINE, hasOlder: false };
    case 'long':
      return { connection: connected, me: ME, messages: bulkConversation(longCount, now, 100_001), online: TEAM_ONLINE, hasOlder: olderPages > 0 };
    case 'readme':
      return conversation(sampleConversation(now).filter((item) => item.status === 'sent'));
    default:
      return conversation();
  }
}

function reply(message: { type?: string; id?: number; text?: string; beforeSeq?: number }): void {
  switch (message.type) {
    case 'ready':
      if (scenario === 'silent') return;
      return toView({ type: 'snapshot', ...snapshot() });
    case 'send': {
      const id = (nextId++).toString(16).padStart(32, '0');
      const item: ChatItem = { id, username: ME, timestamp: Date.now(), text: message.text ?? '', own: true, status: 'pending' };
      toView({ type: 'messages', items: [item], position: 'append', hasOlder: true });
      // The real host answers after a round trip, by when the panel has drawn the pending message.
      void frames(2).then(() => toView({ type: 'sendResult', id: message.id ?? 0 }));
      setTimeout(() => toView({ type: 'delivery', id, status: 'sent' }), 400);
      return;
    }
    case 'loadOlder': {
      olderPages--;
      const page = bulkConversation(50, olderBefore, 1000 * olderPages + 1);
      olderBefore -= 50 * 97_000;
      setTimeout(() => toView({ type: 'messages', items: page, position: 'prepend', hasOlder: olderPages > 0 }), 150);
      return;
    }
  }
}

/** Times the panel for the report: a 100k-message snapshot to its first painted screen, then a 1,000-message append. */
async function bench(count: number): Promise<Record<string, number>> {
  const items = bulkConversation(count, Date.now());
  const start = performance.now();
  toView({ type: 'snapshot', ...snapshot(), messages: items });
  await frames(2);
  const firstScreenMs = performance.now() - start;
  const more = bulkConversation(1000, Date.now() + 1000 * 97_000, count + 1);
  const appendStart = performance.now();
  toView({ type: 'messages', items: more, position: 'append', hasOlder: false });
  await frames(2);
  const appendMs = performance.now() - appendStart;
  const scroller = document.querySelector<HTMLElement>('.scroller');
  const jumpStart = performance.now();
  if (scroller) scroller.scrollTop = scroller.scrollHeight / 2;
  await frames(2);
  const jumpMs = performance.now() - jumpStart;
  return { count, firstScreenMs, appendMs, jumpMs, mountedRows: document.querySelectorAll('.row').length };
}

/** One message's render, from the start of the frame that mounts it to the end of the list's work in it (layout included). */
function renderTime(item: ChatItem): Promise<number> {
  return new Promise((resolve) => {
    // Registered after the panel's listener, so this frame callback runs after the list's, in the same frame.
    const listener = (): void => {
      window.removeEventListener('message', listener);
      requestAnimationFrame((frameStart) => resolve(performance.now() - frameStart));
    };
    window.addEventListener('message', listener);
    toView({ type: 'messages', items: [item], position: 'append', hasOlder: false });
  });
}

/** The longest message text the view accepts, made of `unit` repeated. */
function fullMessage(unit: string): string {
  return unit.repeat(Math.floor((32 * 1024) / unit.length));
}

/** Median render time of a 32 KiB message of hostile markdown (`*a ` repeated) and of plain prose of the same length, interleaved. */
async function markdownBench(runs: number): Promise<Record<string, number>> {
  const hostile = fullMessage('*a ');
  const plain = fullMessage('We shipped it. ').slice(0, hostile.length);
  const times: Record<'hostile' | 'plain', number[]> = { hostile: [], plain: [] };
  for (let run = 0; run < runs; run++) {
    for (const kind of ['plain', 'hostile'] as const) {
      const id = (nextId++).toString(16).padStart(32, '0');
      const text = kind === 'plain' ? plain : hostile;
      times[kind].push(await renderTime({ id, username: 'mallory', timestamp: Date.now(), text, own: false, status: 'sent' }));
    }
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { length: hostile.length, plainMs: median(times.plain), hostileMs: median(times.hostile) };
}

applyTheme(theme);
Object.assign(window, {
  acquireVsCodeApi: () => ({
    postMessage: (message: { type?: string }) => {
      posted.push(message);
      reply(message);
    },
    getState: () => state,
    setState: (value: unknown) => (state = value),
  }),
  harness: { posted, bench, markdownBench, toView },
});
