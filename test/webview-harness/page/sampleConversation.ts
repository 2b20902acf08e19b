// A deterministic, realistic team conversation for the harness: a few people, several days,
// code, a snippet, links, mentions, a reply, reactions, an edit, one failed and one pending
// message, and XSS payloads as text.
import { replyQuote } from '../../../src/protocol/body';
import type { ChatItem } from '../../../src/protocol/panel';

export const ME = 'dana';
export const TEAM = ['alice', 'bob', 'carol', ME];
/** The team as the panel lists it online: one entry per member, "(you)" by key. */
export const TEAM_ONLINE = TEAM.map((name) => ({ name, me: name === ME }));
const HOUR = 3600_000;
const MINUTE = 60_000;

function id(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A member's stand-in public key (64 hex digits): an edit counts only from its target's signer. */
function signer(username: string): string {
  return [...username].map((char) => char.charCodeAt(0).toString(16)).join('').padEnd(64, '0');
}

/** A scripted message; `answers` is the start of the text of the message it replies to. */
type Line = [username: string, offset: number, text: string, extra?: Partial<ChatItem> & { readonly answers?: string }];

/** The conversation shown in the screenshots, ending a few minutes before `now`; the last screen has a snippet, a reply, reactions and an edit. */
export function sampleConversation(now: number): ChatItem[] {
  const script: Line[] = [
    ['alice', -50 * HOUR, 'Morning all! Release branch is cut, please hold off on merges to `main` until QA signs off.'],
    ['bob', -49.9 * HOUR, 'ack 👍'],
    ['carol', -49.8 * HOUR, 'Will do. The flaky **login** test is still failing on CI though.'],
    ['alice', -26 * HOUR, 'QA found a regression in the reconnect logic, details in https://example.com/issues/412.'],
    [ME, -25.9 * HOUR, 'Looking at it now.'],
    ['carol', -3 * HOUR, 'Anyone tried *rendering* `<img src=x onerror=alert(1)>` in chat? Just checking it stays text :)'],
    ['alice', -2.5 * HOUR, 'Here is the config we agreed on:\n```json\n{\n  "retry": { "min": 500, "max": 30000 },\n  "queue": 100\n}\n```\nSee the [design doc](https://example.com/design#reconnect) for why.'],
    [ME, -50 * MINUTE, 'Looks like the backoff never resets after a successful handshake:', {
      snippet: {
        path: 'src/client/reconnect.ts', language: 'typescript', startLine: 42, endLine: 47,
        code: 'function onOpen(): void {\n  state = "connected";\n  // BUG: attempts is never reset here\n  flushQueue();\n  emit("connected");\n}',
      },
    }],
    ['bob', -48 * MINUTE, 'Nice catch @dana! Can you put up a fix? I\'ll review.', { answers: 'Looks like the backoff' }],
    [ME, -20 * MINUTE, 'Fix is up: `attempts` resets in `onOpen`.'],
    ['bob', -12 * MINUTE, 'LGTM. Shipping it after lunch.'],
    ['carol', -8 * MINUTE, 'Standup in 10? I have a hard stop at 11.'],
    [ME, -2 * MINUTE, 'Yes, joining in a sec. This one failed to send.', { status: 'failed', reason: 'rate limited' }],
    [ME, -1 * MINUTE, 'And this one is still on its way…', { status: 'pending' }],
  ];
  /** Who put which emoji on which message (named by the start of its text). */
  const reactions: Array<[target: string, emoji: string, names: string[]]> = [
    ['Looks like the backoff', '👀', ['alice', 'bob']],
    ['Nice catch', '👍', [ME]],
    ['Fix is up', '🎉', ['bob', 'carol']],
    ['Fix is up', '🚀', ['alice']],
  ];
  /** The author's later version of a message (named by the start of its text). */
  const edits: Array<[target: string, offset: number, text: string]> = [
    ['Fix is up', -18 * MINUTE, 'Fix is up: `attempts` resets in `onOpen`, with a test and a changelog entry.'],
  ];

  const indexOf = (start: string): number => {
    const index = script.findIndex(([, , text]) => text.startsWith(start));
    if (index < 0) throw new Error(`no message starts with ${start}`);
    return index;
  };
  const quote = (start: string): NonNullable<ChatItem['replyTo']> => {
    const index = indexOf(start);
    const [username, , text] = script[index];
    return { id: id(index + 1), username, text: replyQuote(text) };
  };
  const messages = script.map(([username, offset, text, { answers, ...extra } = {}], index): ChatItem => ({
    id: id(index + 1),
    username,
    timestamp: Math.round(now + offset),
    text,
    ...(answers === undefined ? {} : { replyTo: quote(answers) }),
    signer: signer(username),
    own: username === ME,
    status: 'sent',
    ...extra,
  }));
  const message = (start: string): ChatItem => messages[indexOf(start)];
  // Reactions and edits are messages of their own, with ids after the script's.
  let nextId = 0x1000;
  const amendments: ChatItem[] = [
    ...reactions.flatMap(([start, emoji, names]) => names.map((username, k): ChatItem => ({
      id: id(nextId++), username, timestamp: message(start).timestamp + (k + 1) * MINUTE, text: '', react: { to: message(start).id, emoji, on: true },
      signer: signer(username), own: username === ME, status: 'sent',
    }))),
    ...edits.map(([start, offset, text]): ChatItem => {
      const { id: to, username, signer: key, own } = message(start);
      return { id: id(nextId++), username, timestamp: Math.round(now + offset), text, edit: { to }, signer: key, own, status: 'sent' };
    }),
  ];
  // Stored in time order, as the server would have them.
  return [...messages, ...amendments].sort((a, b) => a.timestamp - b.timestamp).map((item, index) => ({ ...item, seq: index + 1 }));
}

const PHRASES = [
  'Pushed the fix, CI is running.', 'Can someone review `src/server/room.ts`?', 'Lunch?', '**Heads up:** deploy at 3pm.',
  'Here is the log:\n```\nERR connection reset\nretrying in 2s\n```', 'Thanks @dana, that worked.', 'See https://example.com/runbook',
  'I think the *timeout* is too short.', 'ok', 'On it.',
];

/** `count` messages for the scale measurement, deterministic (Park–Miller sequence), oldest first. */
export function bulkConversation(count: number, now: number, firstSeq = 1): ChatItem[] {
  const items: ChatItem[] = [];
  let state = 12345;
  const next = (): number => (state = (state * 48271) % 2147483647);
  for (let i = 0; i < count; i++) {
    const username = TEAM[next() % TEAM.length];
    const seq = firstSeq + i;
    items.push({
      id: id(0x100000 + seq), seq, username, timestamp: now - (count - i) * 97_000, text: PHRASES[next() % PHRASES.length],
      own: username === ME, status: 'sent',
    });
  }
  return items;
}
