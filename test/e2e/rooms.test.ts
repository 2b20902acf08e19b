// Several rooms at once, in the real workbench: this window's user (alice) joins two rooms of one
// team server, its default room (with carol) and "design" (with bob and dave), all headless
// teammates in this process. A message posted in the room not shown is counted in the panel's room
// row and in the activity-bar badge, which sums every room's count; a mention there notifies with
// the room's name; switching (a click in the row, or "Switch Room...") shows the message and clears
// the count; a reload rejoins the rooms, one disconnected staying offline; "Leave Room" asks first,
// then disconnects from the room and forgets it.
import * as assert from 'assert';
import type { Locator } from 'playwright-core';
import { RunningServer, startChatServer } from '../../src/server/server';
import { within } from '../support/rawClient';
import { tempDataDir } from '../support/testServer';
import { Teammate } from './teammate';
import {
  activityBadge, answerInput, chatFrame, clearNotifications, joinRoomAs, notification, openViewContainer, runCommand, sideBar, statusBarItem, useWorkbench,
} from './workbench';

/** The team server's secret, which opens its named rooms, and each room's own password. */
const SECRETS = { server: 'the operator unlocks the team server', team: 'amber kettle meadow', design: 'copper gull harbour' } as const;

describe('several rooms at once, with teammates in each', () => {
  const workbench = useWorkbench();
  let team: RunningServer;
  let teamAddress = '';
  let designAddress = '';
  let teamName = '';
  const teammates: Teammate[] = [];
  let bob: Teammate;
  let carol: Teammate;

  before(async function () {
    this.timeout(60000);
    team = await startChatServer({ password: SECRETS.team, dataDir: tempDataDir(), host: '127.0.0.1', port: 0, serverSecret: SECRETS.server });
    await team.createRoom('design', SECRETS.design);
    teamAddress = `ws://127.0.0.1:${team.port}`;
    teamName = `127.0.0.1:${team.port}`;
    designAddress = `${teamAddress}/design`;
    carol = await Teammate.join(teamAddress, SECRETS.team, 'carol');
    bob = await Teammate.join(designAddress, SECRETS.design, 'bob');
    teammates.push(carol, bob, await Teammate.join(designAddress, SECRETS.design, 'dave'));
  });
  after(async () => {
    for (const teammate of teammates) teammate.dispose();
    await team?.close();
  });

  const panel = () => chatFrame(workbench.page);
  const roomEntry = (name: string) => panel().locator('.rooms button.room', { has: panel().locator('.room-name', { hasText: new RegExp(`^${name}$`, 'u') }) });
  const unreadIn = (name: string) => roomEntry(name).locator('.room-unread');
  const badge = () => activityBadge(workbench.page, 'Secure Chat');
  /** "Switch Room...", open: its rows (the palette that opened it uses the same widget a moment earlier). */
  async function switchRoomPick(): Promise<(address: string) => Locator> {
    const { page } = workbench;
    await runCommand(page, 'Secure Chat: Switch Room...');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Secure Chat: Switch Room' }).waitFor();
    // Each row's accessible name is "label, description, detail", the detail being the room's whole address.
    return (address) => page.locator(`.quick-input-list .monaco-list-row[aria-label$=", ${address}"]`);
  }

  it('joins two rooms of one server: the room row lists both, the one joined last shown', async () => {
    const { page } = workbench;
    await joinRoomAs(page, 'alice', teamAddress, SECRETS.team, 2);
    await runCommand(page, 'Secure Chat: Join a Room');
    await answerInput(page, designAddress, 'Secure Chat: Join a Room (1/2)');
    await answerInput(page, SECRETS.design, 'Secure Chat: Join a Room (2/2)');
    await statusBarItem(page, 'Secure Chat: 3 online').waitFor();
    await runCommand(page, 'Secure Chat: Open Chat');
    await panel().locator('.rooms button.room.active', { hasText: 'design' }).waitFor();
    assert.deepStrictEqual(await panel().locator('.rooms .room-name').allTextContents(), [teamName, 'design']);
    assert.strictEqual(await panel().locator('.rooms').getAttribute('aria-label'), 'Rooms');
  });

  it('switches with a click in the room row: the status bar and the panel follow the room shown', async () => {
    const { page } = workbench;
    await roomEntry(teamName).click();
    await statusBarItem(page, 'Secure Chat: 2 online').waitFor();
    await panel().locator('.rooms button.room.active', { hasText: teamName }).waitFor();
    assert.strictEqual(await roomEntry(teamName).getAttribute('aria-current'), 'true');
    assert.strictEqual(await roomEntry('design').getAttribute('aria-current'), null);
  });

  it('counts messages posted in the room not shown, in the row and the badge; a mention there notifies with the room\'s name', async () => {
    const { page } = workbench;
    bob.client.send({ text: '@alice the design review moved to 3 pm' });
    await unreadIn('design').filter({ hasText: /^1$/u }).waitFor();
    await badge().filter({ hasText: /^1$/u }).waitFor();
    assert.strictEqual(await unreadIn('design').getAttribute('aria-label'), '1 unread message');
    await runCommand(page, 'Notifications: Show Notifications');
    await notification(page, 'bob in design: @alice the design review moved to 3 pm').waitFor();
    await clearNotifications(page, notification(page, 'bob in design'));

    bob.client.send({ text: 'Mockups are in the shared folder.' });
    await unreadIn('design').filter({ hasText: /^2$/u }).waitFor();
    await badge().filter({ hasText: /^2$/u }).waitFor();
    assert.strictEqual(await unreadIn(teamName).count(), 0, 'the room shown counts nothing while the panel shows it');
  });

  it('sums every room\'s count in the badge while the chat is hidden, and clears the shown room\'s once it is shown again', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'Explorer');
    await sideBar(page).locator('.composite.title', { hasText: 'Explorer' }).waitFor();
    carol.client.send({ text: 'Standup notes are up.' });
    await badge().filter({ hasText: /^3$/u }).waitFor();
    await runCommand(page, 'Secure Chat: Open Chat');
    await panel().locator('.row.message', { hasText: 'Standup notes are up.' }).waitFor();
    await badge().filter({ hasText: /^2$/u }).waitFor();
    await unreadIn('design').filter({ hasText: /^2$/u }).waitFor();
  });

  it('"Switch Room..." lists the joined rooms with their counts; the one chosen shows its messages and its count clears', async () => {
    const { page } = workbench;
    const row = await switchRoomPick();
    const design = row(designAddress);
    await design.waitFor();
    assert.strictEqual(await design.getAttribute('aria-label'), `design, 2 unread, ${designAddress}`);
    assert.strictEqual(await row(teamAddress).getAttribute('aria-label'), `${teamName}, shown, ${teamAddress}`);
    await design.click();
    await statusBarItem(page, 'Secure Chat: 3 online').waitFor();
    await panel().locator('.row.message', { hasText: '@alice the design review moved to 3 pm' }).waitFor();
    await panel().locator('.row.message', { hasText: 'Mockups are in the shared folder.' }).waitFor();
    await panel().locator('.unread-divider', { hasText: 'New messages' }).waitFor();
    await unreadIn('design').waitFor({ state: 'detached' });
    await badge().waitFor({ state: 'hidden' });
  });

  it('rejoins after a reload: the room disconnected stays offline, shown where it was, the other is back online', async function () {
    this.timeout(180000);
    const { page } = workbench;
    await runCommand(page, 'Secure Chat: Disconnect');
    await statusBarItem(page, 'Secure Chat: offline').waitFor();
    const reloaded = page.waitForEvent('load', { timeout: 60000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    // The extension is back once the status bar shows the room shown last: design, offline.
    await statusBarItem(page, 'Secure Chat: offline').waitFor({ timeout: 60000 });
    await runCommand(page, 'Secure Chat: Open Chat');
    await panel().locator('.rooms button.room.active', { hasText: 'design' }).waitFor();
    await panel().getByRole('button', { name: 'Reconnect', exact: true }).first().waitFor();
    await roomEntry(teamName).locator('.dot.on').waitFor({ timeout: 60000 });
    await roomEntry(teamName).click();
    await statusBarItem(page, 'Secure Chat: 2 online').waitFor();
    await roomEntry('design').click();
    await panel().getByRole('button', { name: 'Reconnect', exact: true }).first().click();
    await statusBarItem(page, 'Secure Chat: 3 online').waitFor();
  });

  it('"Leave Room" asks first, then leaves the room: its teammates see alice go, the row goes, the other room is shown', async () => {
    const { page } = workbench;
    const gone = within(new Promise<void>((resolve) => {
      const stop = bob.client.on('presence', (online) => {
        if (online.some((member) => member.name === 'alice')) return;
        stop();
        resolve();
      });
    }), 15000, 'bob sees alice leave design');
    await runCommand(page, 'Secure Chat: Leave Room');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'Leave the room design?' }).waitFor();
    assert.match(await dialog.textContent() ?? '', /password stays stored/u);
    await dialog.getByRole('button', { name: 'Leave Room', exact: true }).click();
    await gone;
    await statusBarItem(page, 'Secure Chat: 2 online').waitFor();
    await panel().locator('.rooms').waitFor({ state: 'hidden' });
    await panel().locator('.row.message', { hasText: 'Standup notes are up.' }).waitFor();

    const row = await switchRoomPick();
    await row(teamAddress).waitFor();
    assert.strictEqual(await page.locator('.quick-input-list .monaco-list-row').count(), 1, 'design is no longer joined');
    await page.keyboard.press('Escape');
  });
});
