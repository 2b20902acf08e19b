// Search through a room's whole history, as the extension host runs it (ChatSession.search: pages
// from the newest to the oldest through the client, every message opened and verified, edits folded,
// matched), over real signed messages (version 3) stored by the real server over a socket. Subject:
// the wall time from the query to the last result (the walk reaching the start of the room) and to
// the first. Baseline, measured in the same run over the same envelopes: the floor of opening them
// (openRoomMessage: MAC, signature and decryption) one after another, × the messages the search had
// to open. One message in 1,000 holds the needle, so the results (100 in 100,000) stay under the cap
// and the walk reads every page. The server starts a new room key epoch every 10,000 messages (its
// default), so the history spans several epochs as a real room's does.
// `npm run bench -- search --search-messages=100000` (or BENCH_SEARCH_MESSAGES) picks the count.
import { performance } from 'perf_hooks';
import { openRoomMessage } from '../src/crypto';
import { HISTORY_PAGE_MAX } from '../src/protocol/limits';
import { silentLogger } from '../src/protocol/log';
import { ChatSession } from '../src/host/rules/chatSession';
import { startChatServer } from '../src/server/server';
import { FrameOf, RawClient, within } from '../test/support/rawClient';
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
/** How long the server may take to answer one sent message of a window. */
const STORE_TIMEOUT_MS = 60_000;

function messageCount(): number {
  const given = process.argv.find((arg) => arg.startsWith(COUNT_FLAG))?.slice(COUNT_FLAG.length) ?? process.env.BENCH_SEARCH_MESSAGES;
  const count = given === undefined ? DEFAULT_COUNT : Number(given);
  if (!Number.isSafeInteger(count) || count < NEEDLE_EVERY) throw new Error(`${COUNT_FLAG} takes a whole number of at least ${NEEDLE_EVERY}`);
  return count;
}

/**
 * Waits for the server's answer to every message of a window, so that none was refused unnoticed,
 * then takes in the epochs the server started meanwhile, so the next window is sealed under the
 * current one (the server takes the previous epoch only for a short while after a change).
 */
async function storedAll(sender: RawClient, window: readonly { readonly messageId: Buffer }[]): Promise<void> {
  for (const { messageId } of window) {
    const outcome = await sender.outcome(messageId, STORE_TIMEOUT_MS);
    if (outcome.type === 'error') throw new Error(`the server refused a message: ${outcome.code}`);
  }
  const epochs = sender.inbox.filter((frame): frame is FrameOf<'epoch'> => frame.type === 'epoch');
  for (const epoch of epochs) sender.applyEpoch(epoch);
  sender.inbox.splice(0, sender.inbox.length, ...sender.inbox.filter((frame) => frame.type !== 'epoch'));
}

/**
 * How many messages each page of the whole history holds, newest page first, asked for as the
 * search's walk asks (at most HISTORY_PAGE_MAX before the last page's oldest seq): the server cuts
 * a page to fit one frame, so a page of signed messages holds fewer.
 */
async function pageSizes(client: RawClient): Promise<number[]> {
  const sizes: number[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await client.history({ ...(before === undefined ? {} : { before }), limit: HISTORY_PAGE_MAX });
    if (page.messages.length > 0) sizes.push(page.messages.length);
    if (!page.hasMore || page.messages.length === 0) return sizes;
    before = Math.min(...page.messages.map((message) => message.seq));
  }
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
      await storedAll(sender, window);
    }
    log(`  stored ${fixed(count)} signed messages under ${sender.epochs.size} room key ${sender.epochs.size === 1 ? 'epoch' : 'epochs'} in ${fixed((performance.now() - storing) / 1000, 1)} s`);

    // The floor: the same envelopes opened one after another (the keyring's lookup, as the client's).
    const openStarted = performance.now();
    for (const envelope of envelopes) openRoomMessage((epoch) => sender.epochs.get(epoch), envelope);
    const openUs = ((performance.now() - openStarted) * 1000) / count;

    session = new ChatSession({ address: server.address, password: TEST_PASSWORD, username: 'reader', minIterations: TEST_ITERATIONS, logger: silentLogger });
    const reader = session;
    const connected = new Promise<void>((resolve) => reader.on('change', (state) => state.status === 'connected' && resolve()));
    reader.connect();
    await within(connected, 30_000, 'the reader connected');
    let firstMs: number | undefined;
    let results = 0;
    /** Updates that brought results: the search streams them page by page. */
    let batches = 0;
    const searchStarted = performance.now();
    const done = new Promise<number>((resolve) => reader.on('update', (update) => {
      if (update.type !== 'searchResults') return;
      if (update.results.length > 0) {
        firstMs ??= performance.now() - searchStarted;
        batches += 1;
      }
      results += update.results.length;
      if (update.done) resolve(performance.now() - searchStarted);
    }));
    reader.search(1, QUERY);
    const allMs = await within(done, SEARCH_TIMEOUT_MS, 'the search done');
    const expected = Math.ceil(count / NEEDLE_EVERY);
    if (results !== expected || firstMs === undefined) throw new Error(`the search found ${results} of ${expected} results`);
    // The newest result is the needle of the last stretch: the search opened the pages from the newest down to the one holding it.
    const sizes = await pageSizes(sender);
    const held = sizes.reduce((sum, size) => sum + size, 0);
    if (held !== count) throw new Error(`the pages hold ${held} of ${count} messages`);
    const toNewestNeedle = count - Math.floor((count - 1) / NEEDLE_EVERY) * NEEDLE_EVERY;
    let openedForFirst = 0;
    for (const size of sizes) {
      if (openedForFirst >= toNewestNeedle) break;
      openedForFirst += size;
    }
    const floorAllMs = (openUs * count) / 1000;
    const floorFirstMs = (openUs * Math.min(count, openedForFirst)) / 1000;
    log(`  open per message ${fixed(openUs, 1)} µs; search: first result ${fixed(firstMs, 1)} ms, all ${fixed(results)} results ${fixed(allMs)} ms`);
    log(`  ${fixed(sizes.length)} history pages (${Math.min(...sizes)} to ${Math.max(...sizes)} messages each) walked; results streamed in ${batches} updates`);
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
      details: { search: { count, epochs: sender.epochs.size, results, batches, pages: sizes.length, openedForFirst, openUs, allMs, firstMs, floorAllMs, floorFirstMs, pageLimit: HISTORY_PAGE_MAX } },
    };
  } finally {
    session?.dispose();
    await sender.close();
    await server.close();
  }
}
