import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RawClient } from '../support/rawClient';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, UNLIMITED_RATES, tempDataDir } from '../support/testServer';
import { ChildServer } from './support/childServer';

const TEXT = 'x'.repeat(8_000);
const MAX_SENDS = 2_000;
const CHECK_MS = 200;
/** Long enough that the disk fills between two measurements, so the journal's own write meets ENOSPC. */
const DISK_CHECK_MS = 1_000;

/** Sends until the server answers storage-full; returns the acknowledged message ids → seq. */
async function fill(client: RawClient): Promise<Map<string, number>> {
  const acked = new Map<string, number>();
  for (let i = 0; i < MAX_SENDS; i++) {
    const sealed = client.seal(TEXT);
    client.send({ type: 'send', envelope: sealed.envelope });
    const outcome = await client.outcome(sealed.messageId);
    if (outcome.type === 'error') {
      assert.strictEqual(outcome.code, 'storage-full');
      return acked;
    }
    acked.set(sealed.messageId.toString('hex'), outcome.seq);
  }
  throw new Error(`no storage-full after ${MAX_SENDS} messages`);
}

async function assertAllStored(client: RawClient, acked: Map<string, number>): Promise<void> {
  const stored = await storedMessages(client);
  for (const [id, seq] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged ${id} is stored`);
}

/** Resends until accepted: space comes back at the next storage check, within a few of them. */
async function sendOnceWritable(client: RawClient): Promise<{ seq: number; tries: number }> {
  for (let tries = 1; ; tries++) {
    const sealed = client.seal('space is back');
    client.send({ type: 'send', envelope: sealed.envelope });
    const outcome = await client.outcome(sealed.messageId);
    if (outcome.type === 'ack') return { seq: outcome.seq, tries };
    assert.strictEqual(outcome.code, 'storage-full');
    assert.ok(tries < 50, 'writable again within 50 storage checks');
    await client.next('ack', () => false, CHECK_MS).catch(() => undefined);
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

describe('reliability: storage full', function () {
  this.timeout(90_000);
  let server: ChildServer | undefined;

  afterEach(async () => server?.stop());

  it('turns read-only at the storage quota (history served, sends refused storage-full, nothing acknowledged lost) and takes sends after a restart with a larger quota', async () => {
    const dataDir = tempDataDir();
    const quota = 256 * 1024;
    server = await ChildServer.start({ ...UNLIMITED_RATES, storageQuotaBytes: quota, storageCheckMs: CHECK_MS }, dataDir);
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    const acked = await fill(client);
    // Read-only, not just full for that one message: a short one is refused too.
    const again = client.seal('still full?');
    client.send({ type: 'send', envelope: again.envelope });
    const refused = await client.outcome(again.messageId);
    assert.strictEqual(refused.type === 'error' && refused.code, 'storage-full');
    await assertAllStored(client, acked);
    await server.logged('storage-full');
    await client.close();
    await server.stop();

    server = await ChildServer.start({ ...UNLIMITED_RATES, storageQuotaBytes: 4 * quota, storageCheckMs: CHECK_MS }, dataDir);
    const reader = (await RawClient.join(server.address, TEST_PASSWORD, 'bob')).client;
    await assertAllStored(reader, acked);
    const { tries } = await sendOnceWritable(reader);
    console.log(`      quota: ${acked.size} messages of ${TEXT.length} bytes acknowledged under a ${quota / 1024} KiB quota, then storage-full with the server up and history whole; after a restart with ${(4 * quota) / 1024} KiB, accepted on try ${tries}`);
    await reader.close();
  });

  it('survives a real full disk (ENOSPC): read-only, nothing acknowledged lost, sends accepted again once space returns', async function () {
    // A small tmpfs is a real full file system; mounting one needs root.
    if (!isRoot() || process.platform !== 'linux') {
      console.log('      disk full: skipped, needs root on Linux to mount a tmpfs');
      this.skip();
    }
    const mount = tempDataDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mount]);
    try {
      const dataDir = path.join(mount, 'data');
      const limits = { ...UNLIMITED_RATES, minFreeBytes: 1, storageCheckMs: DISK_CHECK_MS };
      server = await ChildServer.start(limits, dataDir);
      const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
      const acked = new Map<string, number>();
      for (let i = 0; i < 20; i++) {
        const sealed = client.seal(TEXT);
        acked.set(sealed.messageId.toString('hex'), (await client.sendAndAck(sealed)).seq);
      }
      // Something else takes every free byte, after the server last measured: its next write fails.
      const filler = path.join(mount, 'filler');
      const fd = fs.openSync(filler, 'w');
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(64 * 1024));
      } catch (error) {
        assert.strictEqual((error as NodeJS.ErrnoException).code, 'ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
      for (const [id, seq] of await fill(client)) acked.set(id, seq);
      await server.logged('storage-full');
      const failedWrites = server.count('storage-write-failed');
      await assertAllStored(client, acked);
      fs.rmSync(filler);
      const { seq, tries } = await sendOnceWritable(client);
      assert.ok(seq > 0);
      await client.close();
      await server.stop();
      server = await ChildServer.start(limits, dataDir);
      const reader = (await RawClient.join(server.address, TEST_PASSWORD, 'bob')).client;
      await assertAllStored(reader, acked);
      await reader.close();
      await server.stop();
      server = undefined;
      console.log(`      disk full (tmpfs of 4 MiB filled by another file): ${acked.size} messages acknowledged, then storage-full (${failedWrites} journal write(s) failed with ENOSPC, the server stayed up, history whole); file removed → accepted on try ${tries}; all ${acked.size} there after a restart`);
    } finally {
      await server?.stop();
      server = undefined;
      execFileSync('umount', ['-l', mount]);
    }
  });
});
