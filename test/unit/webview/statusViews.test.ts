import * as assert from 'assert';
import type { PanelCommand } from '../../../src/protocol/panel';
import { ConnectionBanner, EmptyState } from '../../../src/webview/statusViews';
import { newDocument } from './dom';

describe('panel status views', () => {
  function buttons(root: HTMLElement): string[] {
    return Array.from(root.querySelectorAll('button'), (node) => node.textContent ?? '');
  }

  it('offers the first run two choices, "Start a room" first, with the set-up steps as links', () => {
    const doc = newDocument();
    const run: PanelCommand[] = [];
    const empty = new EmptyState(doc, (name) => run.push(name));
    empty.show({ status: 'disconnected' }, 'dana', false);
    assert.strictEqual(empty.root.querySelector('h2')?.textContent, 'Welcome to Secure Chat');
    assert.deepStrictEqual(buttons(empty.root), ['Start a room', 'Join a room', 'Set Username', 'Set Room Password']);
    assert.strictEqual(empty.root.querySelector('button.primary')?.textContent, 'Start a room');
    for (const node of Array.from(empty.root.querySelectorAll('button'))) node.click();
    assert.deepStrictEqual(run, ['startServer', 'connect', 'setUsername', 'setPassword']);
  });

  it('offers what the host says once a room was joined: Reconnect after Disconnect', () => {
    const doc = newDocument();
    const run: PanelCommand[] = [];
    const empty = new EmptyState(doc, (name) => run.push(name));
    empty.show({ status: 'disconnected', address: 'ws://10.0.0.5:7777', actions: ['reconnect', 'connect'] }, 'dana', false);
    assert.strictEqual(empty.root.querySelector('h2')?.textContent, 'Offline');
    assert.deepStrictEqual(buttons(empty.root), ['Reconnect', 'Join a room']);
    const banner = new ConnectionBanner(doc, (name) => run.push(name));
    banner.show({ status: 'disconnected', address: 'ws://127.0.0.1:7777', detail: 'The server on this computer was stopped.', actions: ['startServer', 'reconnect'] }, true);
    assert.strictEqual(banner.root.hidden, false);
    assert.match(banner.root.textContent ?? '', /^Offline The server on this computer was stopped\./u);
    assert.deepStrictEqual(buttons(banner.root), ['Start Server', 'Reconnect']);
    (banner.root.querySelectorAll('button')[1] as HTMLButtonElement).click();
    assert.deepStrictEqual(run, ['reconnect']);
  });
});
