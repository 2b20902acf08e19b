import * as assert from 'assert';
import type { PanelCommand } from '../../../src/protocol/panel';
import { ConnectionBanner, EmptyState, PresenceBar, retryCountdownText, tickCountdowns } from '../../../src/webview/statusViews';
import { renderRow } from '../../../src/webview/messageView';
import { useWords } from '../../../src/webview/words';
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

  it('says that messages typed before the room key is known live only until the window closes', () => {
    const doc = newDocument();
    const noKey = 'Messages typed now are sent once the chat has the room’s key, and kept in this window only until then: they are lost if VS Code closes first.';
    const banner = new ConnectionBanner(doc, () => undefined);
    banner.show({ status: 'connecting', address: 'ws://10.0.0.5:7777', noRoomKey: true }, true);
    assert.strictEqual(banner.root.textContent, `Connecting… ${noKey}`);
    banner.show({ status: 'reconnecting', address: 'ws://10.0.0.5:7777', detail: 'The connection was cut off.' }, true);
    assert.strictEqual(banner.root.textContent, 'Reconnecting… The connection was cut off. Messages will be sent when reconnected.');
    const empty = new EmptyState(doc, () => undefined);
    empty.show({ status: 'connecting', address: 'ws://10.0.0.5:7777', noRoomKey: true }, 'dana', false);
    assert.strictEqual(empty.root.querySelector('p')?.textContent, noKey);
  });

  it('speaks the words the host sent in its snapshot, filling in their numbers, and English for a key left out', () => {
    const doc = newDocument();
    useWords({ statusReconnecting: 'Verbindung wird wiederhergestellt…', retryingIn: 'Neuer Versuch in {0} s', retryNow: 'Jetzt erneut versuchen' });
    try {
      const banner = new ConnectionBanner(doc, () => undefined);
      banner.show({ status: 'reconnecting', address: 'ws://10.0.0.5:7777', retryAt: Date.now() + 4_500, actions: ['reconnect'] }, true);
      assert.match(banner.root.textContent ?? '', /^Verbindung wird wiederhergestellt…Neuer Versuch in [45] s Messages will be sent when reconnected\.Jetzt erneut versuchen$/u);
    } finally {
      useWords(undefined);
    }
    const english = new ConnectionBanner(doc, () => undefined);
    english.show({ status: 'disconnected', address: 'ws://10.0.0.5:7777', actions: ['reconnect'] }, true);
    assert.strictEqual(english.root.textContent, 'Offline Messages will be sent when reconnected.Reconnect');
  });

  it('counts down to the next reconnect in place and offers "Retry now"', () => {
    const doc = newDocument();
    const run: PanelCommand[] = [];
    const retryAt = Date.now() + 7_500;
    const connection = { status: 'reconnecting', address: 'ws://10.0.0.5:7777', detail: 'Nothing answers at this address.', retryAt, actions: ['reconnect'] } as const;
    const empty = new EmptyState(doc, (name) => run.push(name));
    empty.show(connection, 'dana', false);
    const banner = new ConnectionBanner(doc, (name) => run.push(name));
    banner.show(connection, true);
    for (const root of [empty.root, banner.root]) {
      assert.match(root.querySelector('.countdown')?.textContent ?? '', /^Retrying in [78] s$/u);
      assert.deepStrictEqual(buttons(root), ['Retry now']);
      const retry = root.querySelector('button') as HTMLButtonElement;
      tickCountdowns(root, retryAt - 2_100);
      assert.strictEqual(root.querySelector('.countdown')?.textContent, 'Retrying in 3 s');
      assert.strictEqual(root.querySelector('button'), retry, 'the button is kept, and with it the focus');
      tickCountdowns(root, retryAt + 10);
      assert.strictEqual(root.querySelector('.countdown')?.textContent, 'Retrying now…');
      retry.click();
    }
    assert.deepStrictEqual(run, ['reconnect', 'reconnect']);
    assert.strictEqual(retryCountdownText(retryAt, retryAt - 1), 'Retrying in 1 s');
  });

  it('lists members as the host gives them: "(you)" by the entry, two of one name with their key ids, a rename as "old is now new"', () => {
    const doc = newDocument();
    const bar = new PresenceBar(doc);
    bar.show([{ name: 'root', tag: '0d48 ac3f', me: false }, { name: 'root', tag: '9f00 0001', me: true }, { name: 'zoe', me: false }], { status: 'connected' });
    assert.deepStrictEqual(Array.from(bar.root.querySelectorAll('.online-list li'), (li) => li.textContent), ['root 0d48 ac3f', 'root 9f00 0001 (you)', 'zoe']);
    assert.strictEqual(bar.root.querySelectorAll('.online-list li.me').length, 1);
    bar.flash('zoe', 'is now', 'zed');
    assert.strictEqual(bar.root.querySelector('.presence-event')?.textContent, 'zoe is now zed');
    assert.strictEqual(bar.root.querySelectorAll('.presence-event bdi').length, 2, 'both names isolated');
  });

  it('marks unsigned history with one small label and its tooltip', () => {
    const doc = newDocument();
    const context = { me: 'dana', now: 0, firstUnread: null, highlighted: null, reactions: () => [] };
    const item = { id: 'ab', username: 'bob', timestamp: 0, text: 'old', own: false, status: 'sent' as const };
    const unsigned = renderRow(doc, { kind: 'message', key: 'ab', item: { ...item, unsigned: true }, head: true }, context);
    const label = unsigned.querySelector('.unsigned') as HTMLElement;
    assert.strictEqual(label.textContent, 'unsigned');
    assert.strictEqual(label.title, 'Sent before messages were signed: nothing proves who sent it.');
    const signed = renderRow(doc, { kind: 'message', key: 'ab', item, head: true }, context);
    assert.strictEqual(signed.querySelector('.unsigned'), null);
  });

  it('shows the host\'s trust: a badge with its title on verified entries and messages, "Verify" asking for that key id, the warning on every message', () => {
    const doc = newDocument();
    const asked: string[] = [];
    const bar = new PresenceBar(doc, (id) => asked.push(id));
    bar.show([{ name: 'bob', me: false, id: '0d48ac3f390caae5', verified: true }, { name: 'eve', me: false, id: '9f322c09120379ca', keyChanged: true }, { name: 'dana', me: true }], { status: 'connected' });
    const entries = Array.from(bar.root.querySelectorAll('.online-list li'));
    assert.deepStrictEqual(entries.map((li) => li.textContent), ['bob ✓ Verify', 'eve ! Verify', 'dana (you)']);
    assert.strictEqual((entries[0].querySelector('.badge.verified') as HTMLElement).title, 'Verified: you compared safety numbers with this member');
    assert.strictEqual((entries[1].querySelector('.badge.key-changed') as HTMLElement).title, 'Not the key you verified under this name');
    (entries[1].querySelector('button.verify') as HTMLButtonElement).click();
    assert.deepStrictEqual(asked, ['9f322c09120379ca']);

    const item = { id: 'ab', username: 'bob', timestamp: 0, text: 'hi', own: false, status: 'sent' as const };
    const context = { me: 'dana', now: 0, firstUnread: null, highlighted: null, reactions: () => [] };
    const verified = renderRow(doc, { kind: 'message', key: 'ab', item: { ...item, verified: true, colour: 4 }, head: true }, context);
    assert.strictEqual((verified.querySelector('.meta .badge.verified') as HTMLElement).title, 'Verified: you compared safety numbers with this member');
    assert.ok(verified.querySelector('.avatar.avatar-4'), 'the colour the host chose by key');
    const warning = 'Warning: this name was verified with another key (0d48 ac3f 390c aae5).';
    for (const head of [true, false]) {
      const changed = renderRow(doc, { kind: 'message', key: 'ac', item: { ...item, id: 'ac', warning }, head }, context);
      assert.strictEqual(changed.querySelector('.trust-warning')?.textContent, warning, head ? 'the group\'s first message' : 'a later one');
      assert.strictEqual(changed.querySelector('.badge'), null);
    }
  });
});
