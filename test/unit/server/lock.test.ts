import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { StartError } from '../../../src/server/errors';
import { LOCK_FILE, lockDataDir } from '../../../src/server/lock';
import { tempDataDir } from '../../support/testServer';

const HOUR_AGO = (Date.now() - 3_600_000) / 1000;

describe('data directory lock', () => {
  let other: ChildProcess;

  beforeEach(async () => {
    // A live process that is not a server: what a stale lock's pid names after pid reuse.
    other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('spawn', resolve));
  });

  afterEach(() => other.kill('SIGKILL'));

  function plant(content: string, mtime?: number): string {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, LOCK_FILE);
    fs.writeFileSync(file, content);
    if (mtime !== undefined) fs.utimesSync(file, mtime, mtime);
    return dataDir;
  }

  const takes = (dataDir: string) => {
    const release = lockDataDir(dataDir);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid, process.pid);
    release();
    assert.deepStrictEqual(fs.readdirSync(dataDir), []);
  };

  it('takes over an older server\'s lock whose pid now belongs to a process started after it was written', () => {
    takes(plant(`${other.pid}\n`, HOUR_AGO));
  });

  it('takes over a lock whose pid is alive but has another start time', () => {
    takes(plant(`${JSON.stringify({ pid: other.pid, started: '1', boot: null, nonce: 'x' })}\n`));
  });

  it('refuses a lock held by a live process, and one held by this process, and leaves them in place', () => {
    const started = fs.readFileSync(`/proc/${other.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    const content = `${JSON.stringify({ pid: other.pid, started, boot: null, nonce: 'x' })}\n`;
    const dataDir = plant(content);
    assert.throws(() => lockDataDir(dataDir), (error: StartError) => error.code === 'data-dir-locked');
    assert.strictEqual(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'), content);
    assert.deepStrictEqual(fs.readdirSync(dataDir), [LOCK_FILE]);

    const mine = tempDataDir();
    const release = lockDataDir(mine);
    assert.throws(() => lockDataDir(mine), (error: StartError) => error.code === 'data-dir-locked');
    release();
    takes(mine);
  });

  it('takes over a lock copied from a running server of this process (a backup image)', () => {
    const running = tempDataDir();
    const release = lockDataDir(running);
    const copy = tempDataDir();
    fs.copyFileSync(path.join(running, LOCK_FILE), path.join(copy, LOCK_FILE));
    takes(copy);
    release();
  });

  it('breaks a stale lock left together with the break lock of a breaker that crashed', () => {
    const dataDir = plant('999999999\n');
    const stale = fs.readFileSync(path.join(dataDir, LOCK_FILE));
    const hash = createHash('sha256').update(stale).digest('hex').slice(0, 16);
    fs.writeFileSync(path.join(dataDir, `${LOCK_FILE}.break-${hash}`), `${JSON.stringify({ pid: 999999998, started: '5', boot: null, nonce: 'y' })}\n`);
    takes(dataDir);
  });
});
