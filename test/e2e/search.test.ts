// Search in the real workbench with two members: this window's user (alice) and a headless teammate
// (bob) in this process, on a team server started here. Bob's messages fill more history than the
// panel's first page (five messages here); alice searches the whole of it from the panel, case and
// accents folded, opens a result far back, and finds bob's edited message by its new text only.
import * as assert from 'assert';
import { RunningServer, startChatServer } from '../../src/server/server';
import { tempDataDir } from '../support/testServer';
import { Teammate } from './teammate';
import { chatFrame, joinRoomAs, runCommand, useWorkbench } from './workbench';

const PASSWORD = 'amber kettle meadow';
const PAGE_SIZE = 5;

describe('searching the whole history, with two members', () => {
  const workbench = useWorkbench({ 'secureChat.history.pageSize': PAGE_SIZE });
  let team: RunningServer;
  let address = '';
  let bob: Teammate;
  /** Bob's first message, and the one he edits. */
  let dessert = '';
  let edited = '';

  /** Bob's message, once the server stored it, as bob's client names it. */
  async function bobSays(text: string, edit?: string): Promise<string> {
    const sent = bob.client.send({ text, ...(edit === undefined ? {} : { edit: { to: edit } }) });
    await bob.delivery(sent.id, 'sent');
    return sent.id;
  }

  before(async function () {
    this.timeout(60000);
    team = await startChatServer({ password: PASSWORD, dataDir: tempDataDir(), host: '127.0.0.1', port: 0 });
    address = `ws://127.0.0.1:${team.port}`;
    bob = await Teammate.join(address, PASSWORD, 'bob');
    dessert = await bobSays('Die Crème brûlée ist fertig');
    edited = await bobSays('Meeting moved to the blue room');
    for (let i = 1; i <= 3 * PAGE_SIZE; i++) await bobSays(`filler ${i}`);
    await bobSays('Meeting moved to the green room', edited);
  });
  after(async () => {
    bob?.dispose();
    await team?.close();
  });

  const panel = () => chatFrame(workbench.page);
  const row = (id: string) => panel().locator(`.row.message[data-id="${id}"]`);
  const searchBox = () => panel().locator('input.search-input');
  const results = () => panel().locator('button.search-result');
  const status = () => panel().locator('.search-status');

  it('joins as alice: the panel holds the latest page, not bob\'s first messages', async () => {
    const { page } = workbench;
    await joinRoomAs(page, 'alice', address, PASSWORD, 2);
    await runCommand(page, 'Secure Chat: Open Chat');
    await panel().locator('.row.message', { hasText: `filler ${3 * PAGE_SIZE}` }).waitFor();
    assert.strictEqual(await row(dessert).count(), 0, 'beyond the first page');
  });

  it('opens the search box from the command and finds a message far back, case and accents folded, the match marked', async () => {
    await runCommand(workbench.page, 'Secure Chat: Search Messages...');
    await searchBox().waitFor();
    await searchBox().fill('CREME BRULEE');
    await status().filter({ hasText: '1 message found' }).waitFor();
    assert.strictEqual(await results().count(), 1);
    const [result] = await results().all();
    assert.strictEqual(await result.getAttribute('data-id'), dessert);
    assert.strictEqual(await result.locator('.search-result-text').textContent(), 'Die Crème brûlée ist fertig');
    assert.strictEqual(await result.locator('mark').textContent(), 'Crème brûlée');
  });

  it('jumps to the result on a click, loading older history until the message is there', async () => {
    await results().first().click();
    await row(dessert).and(panel().locator('.highlighted')).waitFor();
    await row(dessert).locator('.body > p', { hasText: 'Die Crème brûlée ist fertig' }).waitFor();
    assert.ok(await row(dessert).isVisible());
  });

  it('closes with Escape and opens again with Ctrl+F in the panel; an edited message is found by its new text, not its old one', async () => {
    const { page } = workbench;
    await searchBox().focus();
    await page.keyboard.press('Escape');
    await searchBox().waitFor({ state: 'hidden' });
    await panel().locator('textarea.composer-input').focus();
    await page.keyboard.press('Control+f');
    await searchBox().waitFor();
    await page.keyboard.type('green ROOM');
    await status().filter({ hasText: '1 message found' }).waitFor();
    assert.strictEqual(await results().first().getAttribute('data-id'), edited);
    assert.strictEqual(await results().first().locator('mark').textContent(), 'green room');

    await searchBox().fill('blue room');
    await status().filter({ hasText: 'No messages found' }).waitFor();
    assert.strictEqual(await results().count(), 0);
  });
});
