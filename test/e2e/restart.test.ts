// A server that goes away and comes back, in the real workbench: a teammate's chat waiting for it
// shows a countdown that moves, "Retry now" and words of its own instead of the socket's error; and
// this window's own server, running when the window reloads, runs again once it has reloaded, and
// a message typed offline before the reload goes out after it.
import * as assert from 'assert';
import { ChatClient } from '../../src/client';
import { RunningServer, startChatServer } from '../../src/server/server';
import { freePort } from '../harness/codeServer';
import { within } from '../support/rawClient';
import { tempDataDir } from '../support/testServer';
import { answerInput, chatFrame, inputBox, openViewContainer, runCommand, statusBarItem, useWorkbench } from './workbench';

const TEAM_PASSWORD = 'amber kettle meadow';
const OWN_PASSWORD = 'nine silver ferries';

describe('a server that goes away and comes back', () => {
  const settings: Record<string, unknown> = {};
  let ownAddress = '';
  before(async () => {
    const port = await freePort();
    settings['secureChat.server.port'] = port;
    // A display name chosen, so Start and Join go straight to the room (room.test.ts covers the first ask).
    settings['secureChat.username'] = 'dana';
    ownAddress = `ws://127.0.0.1:${port}`;
  });
  const workbench = useWorkbench(settings);
  const panel = () => chatFrame(workbench.page);
  const panelButton = (name: string) => panel().getByRole('button', { name, exact: true });

  it('counts down to the next try, offers "Retry now" and never shows the raw network error', async function () {
    this.timeout(180000);
    const { page } = workbench;
    const dataDir = tempDataDir();
    let team: RunningServer = await startChatServer({ password: TEAM_PASSWORD, dataDir, host: '127.0.0.1', port: 0 });
    const port = team.port;
    const address = `ws://127.0.0.1:${port}`;
    try {
      await openViewContainer(page, 'Secure Chat');
      await panelButton('Set Room Password').click();
      await answerInput(page, address, 'Secure Chat: Set Room Password (1/2)');
      await answerInput(page, TEAM_PASSWORD, 'Secure Chat: Set Room Password (2/2)');
      await panelButton('Join a room').click();
      await answerInput(page, address, 'Secure Chat: Join a Room (1/2)');
      await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
      await team.close();

      // Each failed try waits longer. A wait of 10 s or more leaves time to watch the countdown move,
      // bring the server back and skip the rest of the wait with "Retry now".
      // No messages in this room yet, so the panel's empty state is what says it.
      const waiting = panel().locator('.empty');
      const countdown = waiting.getByText(/^Retrying in \d+ s$/u);
      await waiting.getByText(/^Retrying in \d\d+ s$/u).waitFor({ timeout: 100000 });
      const first = Number(/\d+/u.exec(await countdown.textContent() ?? '')?.[0]);
      // It moves: a lower number soon. Not necessarily first - 1: the panel reads the clock at each
      // tick, so on a loaded machine a late tick goes straight to the second after.
      const lower = Array.from({ length: first - 1 }, (_, index) => first - 1 - index).join('|');
      await waiting.getByText(new RegExp(`^Retrying in (${lower}) s$`, 'u')).waitFor({ timeout: 5000 });
      const shown = await panel().locator('body').textContent() ?? '';
      assert.doesNotMatch(shown, /ECONNREFUSED|127\.0\.0\.1:\d+\)/u, 'the socket\'s error is put in the panel\'s own words');
      assert.match(shown, /Nothing answers at this address/u);

      team = await startChatServer({ password: TEAM_PASSWORD, dataDir, host: '127.0.0.1', port });
      await panelButton('Retry now').click();
      // Well before the countdown would have ended.
      await statusBarItem(page, 'Secure Chat: 1 online').waitFor({ timeout: 5000 });
    } finally {
      await team.close();
    }
  });

  it('starts the own server again after the window reloads, so teammates get back in', async function () {
    this.timeout(180000);
    const { page } = workbench;
    await runCommand(page, 'Secure Chat: Start Server');
    await answerInput(page, OWN_PASSWORD, 'Secure Chat: New Room Password (1/2)');
    await answerInput(page, OWN_PASSWORD, 'Secure Chat: New Room Password (2/2)');
    await statusBarItem(page, 'Secure Chat: 1 online').waitFor();
    const bob = new ChatClient({ address: ownAddress, password: OWN_PASSWORD, username: 'bob', reconnect: { baseMs: 200, capMs: 1000 } });
    try {
      let lost = false;
      const back = new Promise<void>((resolve) => {
        bob.on('state', (state) => {
          if (state.status === 'reconnecting') lost = true;
          if (state.status === 'connected' && lost) resolve();
        });
      });
      await new Promise<void>((resolve) => {
        const stop = bob.on('state', (state) => state.status === 'connected' && (stop(), resolve()));
        bob.connect();
      });
      await runCommand(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      // SecretStorage may not survive the reload in every workbench: then the restart asks for the password.
      const prompt = inputBox(page, 'Secure Chat: Room Password');
      const answered = prompt.title.waitFor({ timeout: 90000 }).then(() => answerInput(page, OWN_PASSWORD, 'Secure Chat: Room Password'), () => undefined);
      await Promise.race([back, answered]);
      await back;
      assert.strictEqual(bob.state.status, 'connected');
    } finally {
      bob.dispose();
    }
  });

  it('keeps a message typed offline through a reload and sends it once the room is back', async function () {
    this.timeout(180000);
    const { page } = workbench;
    const carol = new ChatClient({ address: ownAddress, password: OWN_PASSWORD, username: 'carol', reconnect: { baseMs: 200, capMs: 1000 } });
    try {
      await new Promise<void>((resolve) => {
        const stop = carol.on('state', (state) => state.status === 'connected' && (stop(), resolve()));
        carol.connect();
      });
      const received = new Promise<string>((resolve) => carol.on('message', (message) => resolve(message.body.text)));
      // This window's chat holds the room's keys only once it is in the room (after the last
      // reload it may still be on its way): only then is a message typed offline sealed, and so kept.
      await statusBarItem(page, 'Secure Chat: 2 online').waitFor({ timeout: 60000 });
      await runCommand(page, 'Secure Chat: Disconnect');
      // Offline from the room while this window's server runs.
      await statusBarItem(page, 'Secure Chat: server running').waitFor();
      await panel().locator('textarea.composer-input').fill('Typed offline, before the reload.');
      await panel().locator('textarea.composer-input').press('Enter');
      await panel().locator('.row.message.own.pending', { hasText: 'Typed offline, before the reload.' }).waitFor();
      await runCommand(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      // The own server starts again and the chat joins it: the message kept sealed goes out.
      assert.strictEqual(await within(received, 90000, 'carol receives the message typed offline'), 'Typed offline, before the reload.');
      // Open Chat shows the view whether or not it survived the reload open (a click on the activity bar would toggle it).
      await runCommand(page, 'Secure Chat: Open Chat');
      await panel().locator('.row.message.own.sent', { hasText: 'Typed offline, before the reload.' }).waitFor();
    } finally {
      carol.dispose();
    }
  });
});
