import * as assert from 'assert';
import * as fs from 'fs';
import { chatFrame, openViewContainer, runCommand, screenshot, sideBar, useWorkbench } from './workbench';

describe('chat panel', () => {
  const workbench = useWorkbench();

  it('opens from the activity bar', async () => {
    await openViewContainer(workbench.page, 'Secure Chat');
    await chatFrame(workbench.page).getByRole('button', { name: 'Connect' }).waitFor();
  });

  it('opens from the command palette and shows the chat', async () => {
    await runCommand(workbench.page, 'View: Close Primary Side Bar');
    await sideBar(workbench.page).waitFor({ state: 'hidden' });
    await runCommand(workbench.page, 'Secure Chat: Open Chat');
    const heading = chatFrame(workbench.page).locator('h2');
    await heading.waitFor();
    assert.strictEqual(await heading.textContent(), 'Offline', 'the panel starts in its offline state');
    const file = await screenshot(sideBar(workbench.page), 'chat-panel');
    assert.ok(fs.statSync(file).size > 0);
  });
});
