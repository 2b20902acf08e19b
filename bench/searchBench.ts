// Search through a room's whole history, as the extension host runs it (ChatSession.search: pages
// from the newest to the oldest through the client, every message opened and verified, edits folded,
// matched), over real signed messages (version 3) stored by the real server over a socket. Subject:
// the wall time from the query to the last result (the walk reaching the start of the room) and to
// the first. Baseline, measured in the same run over the same envelopes: the floor of opening them
// (openRoomMessage: MAC, signature and decryption) one after another, × the messages the search had
// to open. One member in 100 of the history says the needle, so the results (100) stay under the cap
// and the walk reads every page.
// `npm run bench -- search --search-messages=100000` (or BENCH_SEARCH_MESSAGES) picks the count.
import { performance } from 'perf_hooks';
import { openRoomMessage } from '../src/crypto';
import { HISTORY_PAGE_MAX } from '../src/protocol/limits';
import { silentLogger } from '../src/protocol/log';
import { ChatSession } from '../src/host/rules/chatSession';
import { startChatServer } from '../src/server/server';
import { RawClient, within } from '../test/support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD, tempDataDir } from '../test/support/testServer';
import { BENCH_LIMITS } from './relay/relayBench';
import { Row, fixed, ratio } from './report';

const COUNT_FLAG = '--search-messages=';
const DEFAULT_COUNT = 100_000;
/** One message in this many holds the needle. */
const NEEDLE_EVERY = 1_000;
/** Sends in flight while the history is stored. */
const WINDOW = 500;
const NEEDLE = 'Die Crème brûlée ist fertig';
const QUERY = 'CREME BRULEE';
const FILLER = 'A typical chat line: the build is green again, merging now.';
const SEARCH_TIMEOUT_MS = 20 * 60_000;

function messageCount(): number {
  const given = process.argv.find((arg) => arg.startsWith(COUNT_FLAG))?.slice(COUNT_FLAG.length) ?? process.env.BENCH_SEARCH_MESSAGES;
  const count = given === undefined ? DEFAULT_COUNT : Number(given);
  if (!Number.isSafeInteger(count) || count < NEEDLE_EVERY) throw new Error(`${COUNT_FLAG} takes a whole number of at least ${NEEDLE_EVERY}`);
  return count;
}

export async function roomSearch(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const count = messageCount();
  const server = await startChatServer({
    password: TEST_PASSWORD, dataDir: tempDataDir(), host: '127.0.0.1', port: 0, newRoomIterations: TEST_ITERATIONS, limits: BENCH_LIMITS, logger: silentLogger,
  });
  const { client: sender } = await RawClient.join(server.address, TEST_PASSWORD, 'carol');
  let session: ChatSession | undefined;
  try {
    // Sealed a window at a time just before it is sent (the server refuses stale timestamps); the
    // needle first in each stretch of NEEDLE_EVERY, so the newest result lies that far back.
    const envelopes: Buffer[] = [];
    const storing = performance.now();
    for (let first = 0; first < count; first += WINDOW) {
      const window = Array.from({ length: Math.min(WINDOW, count - first) }, (_, k) => {
        const i = first + k;
        return sender.seal(i % NEEDLE_EVERY === 0 ? `${NEEDLE} (${i})` : `${FILLER} ${i}`);
      });
      for (const sealed of window) {
        sender.send({ type: 'send', envelope: sealed.envelope });
        envelopes.push(sealed.envelope);
      }
      const last = window[window.length - 1].messageId;
      await sender.next('ack', (ack) => ack.id.equals(last));
    }
    log(`  stored ${fixed(count)} signed messages in ${fixed((performance.now() - storing) / 1000, 1)} s`);

    // The floor: the same envelopes opened one after another (the keyring's lookup, as the client's).
    const openStarted = performance.now();
    for (const envelope of envelopes) openRoomMessage(() => sender.keys!, envelope);
    const openUs = ((performance.now() - openStarted) * 1000) / count;

    session = new ChatSession({ address: server.address, password: TEST_PASSWORD, username: 'reader', minIterations: TEST_ITERATIONS, logger: silentLogger });
    const reader = session;
    const connected = new Promise<void>((resolve) => reader.on('change', (state) => state.status === 'connected' && resolve()));
    reader.connect();
    await within(connected, 30_000, 'the reader connected');
    let firstMs: number | undefined;
    let results = 0;
    const searchStarted = performance.now();
    const done = new Promise<number>((resolve) => reader.on('update', (update) => {
      if (update.type !== 'searchResults') return;
      if (update.results.length > 0) firstMs ??= performance.now() - searchStarted;
      results += update.results.length;
      if (update.done) resolve(performance.now() - searchStarted);
    }));
    reader.search(1, QUERY);
    const allMs = await within(done, SEARCH_TIMEOUT_MS, 'the search done');
    const expected = count / NEEDLE_EVERY;
    if (results !== expected || firstMs === undefined) throw new Error(`the search found ${results} of ${expected} results`);
    // The newest result is the needle of the last stretch: the search opened the messages from it to the newest, a page at a time.
    const newestNeedle = Math.floor((count - 1) / NEEDLE_EVERY) * NEEDLE_EVERY;
    const openedForFirst = Math.ceil((count - newestNeedle) / HISTORY_PAGE_MAX) * HISTORY_PAGE_MAX;
    const floorAllMs = (openUs * count) / 1000;
    const floorFirstMs = (openUs * Math.min(count, openedForFirst)) / 1000;
    log(`  open per message ${fixed(openUs, 1)} µs; search: first result ${fixed(firstMs, 1)} ms, all ${fixed(results)} results ${fixed(allMs)} ms`);
    const bench = 'room search';
    return {
      rows: [
        {
          bench, metric: `${fixed(count)} signed messages, query → all ${fixed(results)} results (whole history walked)`,
          baseline: `${fixed(floorAllMs)} ms (open × ${fixed(count)})`, subject: `${fixed(allMs)} ms`, ratio: ratio(allMs, floorAllMs), target: '≤ 2.00×', met: allMs / floorAllMs <= 2,
        },
        {
          bench, metric: `${fixed(count)} signed messages, query → first result (${fixed(openedForFirst)} newest opened)`,
          baseline: `${fixed(floorFirstMs, 1)} ms (open × ${fixed(openedForFirst)})`, subject: `${fixed(firstMs, 1)} ms`, ratio: ratio(firstMs, floorFirstMs), target: '',
        },
      ],
      details: { search: { count, results, openUs, allMs, firstMs, floorAllMs, floorFirstMs, pageSize: HISTORY_PAGE_MAX } },
    };
  } finally {
    session?.dispose();
    await sender.close();
    await server.close();
  }
}
