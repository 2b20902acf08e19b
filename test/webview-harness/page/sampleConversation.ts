// A deterministic, realistic team conversation for the harness: a few people, several days,
// code, a snippet, links, mentions, one failed and one pending message, and XSS payloads as text.
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

/** The conversation shown in the screenshots, ending a few minutes before `now`. */
export function sampleConversation(now: number): ChatItem[] {
  const script: Array<[string, number, string, Partial<ChatItem>?]> = [
    ['alice', -50 * HOUR, 'Morning all! Release branch is cut, please hold off on merges to `main` until QA signs off.'],
    ['bob', -49.9 * HOUR, 'ack 👍'],
    ['carol', -49.8 * HOUR, 'Will do. The flaky **login** test is still failing on CI though.'],
    ['alice', -26 * HOUR, 'QA found a regression in the reconnect logic, details in https://example.com/issues/412.'],
    [ME, -25.9 * HOUR, 'Looking at it now.'],
    [ME, -25.8 * HOUR, 'Looks like the backoff never resets after a successful handshake:', {
      snippet: {
        path: 'src/client/reconnect.ts', language: 'typescript', startLine: 42, endLine: 47,
        code: 'function onOpen(): void {\n  state = "connected";\n  // BUG: attempts is never reset here\n  flushQueue();\n  emit("connected");\n}',
      },
    }],
    ['bob', -25.7 * HOUR, 'Nice catch @dana! Can you put up a fix? I\'ll review.'],
    ['carol', -3 * HOUR, 'Anyone tried *rendering* `<img src=x onerror=alert(1)>` in chat? Just checking it stays text :)'],
    ['alice', -2.5 * HOUR, 'Here is the config we agreed on:\n```json\n{\n  "retry": { "min": 500, "max": 30000 },\n  "queue": 100\n}\n```\nSee the [design doc](https://example.com/design#reconnect) for why.'],
    ['bob', -2.4 * HOUR, 'LGTM. Shipping it after lunch.'],
    ['bob', -2.39 * HOUR, 'Also @dana the PR needs a changelog entry.'],
    [ME, -20 * MINUTE, 'Added the changelog entry, thanks!'],
    ['carol', -8 * MINUTE, 'Standup in 10? I have a hard stop at 11.'],
    [ME, -2 * MINUTE, 'Yes, joining in a sec. This one failed to send.', { status: 'failed', reason: 'rate limited' }],
    [ME, -1 * MINUTE, 'And this one is still on its way…', { status: 'pending' }],
  ];
  return script.map(([username, offset, text, extra], index) => ({
    id: id(index + 1),
    seq: index + 1,
    username,
    timestamp: Math.round(now + offset),
    text,
    own: username === ME,
    status: 'sent',
    ...extra,
  }));
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
