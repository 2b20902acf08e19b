// The extension as a person uses it, inside the real VS Code: Start Server with the password from
// SecretStorage, the status bar following the connection, messages both ways with a second
// (headless) member, a message typed while the server restarts delivered exactly once, a room key
// rotation and a password change with that member online, Stop Server leaving no process behind, and
// the rooms it took offline back once it starts again.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { ChatClient, ChatMessage, ConnectionState } from '../../src/client';
import { IdentityKey, safetyNumber } from '../../src/crypto';
import { suggestName } from '../../src/host/rules/nameSuggestion';
import type { TestApi } from '../../src/extension';
import type { StatusBarText } from '../../src/host/rules/statusBarText';
import { PasswordStore } from '../../src/host/passwords';
import type { ChatItem, PanelUpdate } from '../../src/protocol/panel';
import { fromEvent, waitFor, within } from './waiting';
import { freePort } from '../harness/codeServer';
import { isAlive } from '../support/pid';

const PASSWORD = 'extension host test password';

/** A second member of the room, in this process: plain Node, no VS Code. */
class Member {
  readonly client: ChatClient;
  readonly received: ChatMessage[] = [];

  /** `identity` is the member's installation key: the same person coming back keeps their name. */
  constructor(address: string, username: string, password = PASSWORD, readonly identity = IdentityKey.generate()) {
    // Quick reconnects: the test restarts the server under it.
    this.client = new ChatClient({ address, password, username, identity, reconnect: { baseMs: 50, capMs: 500 } });
    this.client.on('message', (message) => this.received.push(message));
  }

  connected(): Promise<ConnectionState> {
    const state = () => (this.client.state.status === 'connected' ? this.client.state : undefined);
    return waitFor(state, (listener) => this.client.on('state', listener), `${this.client.username} connected`);
  }

  receive(text: string): Promise<ChatMessage> {
    return waitFor(() => this.received.find((m) => m.body.text === text), (listener) => this.client.on('message', listener), `"${text}" at ${this.client.username}`);
  }
}

describe('chat through the extension', function () {
  this.timeout(60_000);
  let api: TestApi;
  let address: string;
  let bob: Member;
  const updates: PanelUpdate[] = [];

  /** The first panel update (since the suite began) that matches, waiting for it when there is none yet. */
  function panelUpdate(match: (update: PanelUpdate) => boolean, what: string): Promise<PanelUpdate> {
    return waitFor(() => updates.find(match), fromEvent(api.chat.onDidUpdate.bind(api.chat)), what);
  }

  function status(kind: string, text?: RegExp): Promise<StatusBarText> {
    const current = () => {
      const view = api.status.current();
      return view.kind === kind && (!text || text.test(view.text)) ? view : undefined;
    };
    return waitFor(current, fromEvent(api.status.onDidChange), `status bar "${kind}"${text ? ` ${text}` : ''}`);
  }

  const appended = (match: (item: ChatItem) => boolean, what: string) =>
    panelUpdate((u) => u.type === 'messages' && u.position === 'append' && u.items.some(match), what).then((u) => (u as Extract<PanelUpdate, { type: 'messages' }>).items.find(match)!);

  before(async () => {
    const extension = vscode.extensions.getExtension<TestApi | undefined>('secure-chat.secure-chat');
    assert.ok(extension);
    const exports = await extension.activate();
    assert.ok(exports, 'activate() returned no TestApi in test mode');
    api = exports;
    api.chat.onDidUpdate((update) => updates.push(update));
    const port = await freePort();
    address = `ws://127.0.0.1:${port}`;
    const config = vscode.workspace.getConfiguration('secureChat');
    await config.update('server.port', port, vscode.ConfigurationTarget.Global);
    await config.update('username', 'alice', vscode.ConfigurationTarget.Global);
    await new PasswordStore(api.secrets).set(address, PASSWORD);
  });

  after(async () => {
    bob?.client.dispose();
    await vscode.commands.executeCommand('secureChat.stopServer');
    await new PasswordStore(api.secrets).forget(address);
    const config = vscode.workspace.getConfiguration('secureChat');
    await config.update('server.port', undefined, vscode.ConfigurationTarget.Global);
    await config.update('username', undefined, vscode.ConfigurationTarget.Global);
  });

  it('starts the server from the stored password and shows the connection in the status bar', async () => {
    const kinds: string[] = [];
    const subscription = api.status.onDidChange((view) => kinds.push(view.kind));
    await vscode.commands.executeCommand('secureChat.startServer');
    const connected = await status('connected', /1 online/);
    subscription.dispose();
    assert.ok(connected.text.startsWith('$(server)'), connected.text);
    assert.match(connected.tooltip, new RegExp(`Connected to ${address}`));
    assert.ok(kinds.includes('connecting'), `the status bar showed connecting first: ${kinds.join(', ')}`);
    const pid = api.serverPid();
    assert.ok(pid !== undefined && isAlive(pid));
  });

  it('keeps this installation\'s identity key in SecretStorage, created by the first connect, as 32 bytes', async () => {
    const stored = await api.secrets.get('secureChat.identityKey');
    assert.strictEqual(stored === undefined ? undefined : Buffer.from(stored, 'base64').length, 32);
  });

  it('exchanges messages both ways with another member', async () => {
    bob = new Member(address, 'bob');
    bob.client.connect();
    await bob.connected();
    await status('connected', /2 online/);
    await panelUpdate((u) => u.type === 'presence' && u.joined === 'bob', 'bob joined in the panel');

    bob.client.send({ text: 'hello from bob' });
    const fromBob = await appended((item) => item.text === 'hello from bob', 'bob\'s message in the panel');
    assert.deepStrictEqual([fromBob.username, fromBob.own, fromBob.status], ['bob', false, 'sent']);

    api.chat.send('hello from alice');
    const mine = await appended((item) => item.text === 'hello from alice', 'the own message as pending');
    assert.deepStrictEqual([mine.own, mine.status], [true, 'pending']);
    await panelUpdate((u) => u.type === 'delivery' && u.id === mine.id && u.status === 'sent', 'delivery sent');
    const atBob = await bob.receive('hello from alice');
    assert.strictEqual(atBob.username, 'alice');
  });

  it('refuses a second installation under the user\'s name as name-taken; the suggested name joins as its own member', async () => {
    const twin = new Member(address, 'alice');
    try {
      const refused = waitFor(() => (twin.client.state.status === 'error' ? twin.client.state : undefined), (listener) => twin.client.on('state', listener), 'the twin refused');
      twin.client.connect();
      assert.strictEqual((await refused).status === 'error' && (await refused).kind, 'name-taken');
    } finally {
      twin.client.dispose();
    }
    const suggested = suggestName('alice');
    assert.strictEqual(suggested, 'alice-2');
    const second = new Member(address, suggested);
    try {
      second.client.connect();
      const joined = await panelUpdate((u) => u.type === 'presence' && u.joined === 'alice-2', 'alice-2 joined in the panel');
      assert.ok(joined.type === 'presence');
      const entries = joined.online.filter((entry) => entry.name.startsWith('alice'));
      assert.deepStrictEqual(entries.map((entry) => [entry.name, entry.me, entry.id]), [['alice', true, undefined], ['alice-2', false, second.identity.keyId]]);
    } finally {
      second.client.dispose();
    }
  });

  it('shows a rename as "old is now new", the same safety number on both sides, the verified badge, and the key-changed warning for a new key', async () => {
    let dave = new Member(address, 'dave');
    try {
      dave.client.connect();
      await panelUpdate((u) => u.type === 'presence' && u.joined === 'dave', 'dave joined in the panel');
      dave.client.setUsername('david');
      const renamed = await panelUpdate((u) => u.type === 'presence' && u.renamed !== undefined, 'the rename in the panel');
      assert.deepStrictEqual(renamed.type === 'presence' && renamed.renamed, { from: 'dave', to: 'david' });

      // The headless member's own figure, from the key it sees for alice in its presence list.
      const aliceAtDave = await waitFor(() => dave.client.online.find((member) => member.name === 'alice'), (listener) => dave.client.on('presence', listener), 'alice in dave\'s list');
      const member = api.verifier.others().find((other) => other.name === 'david');
      assert.ok(member);
      assert.strictEqual(api.verifier.safetyNumber(member), safetyNumber(dave.identity.publicKey, aliceAtDave.key));
      assert.match(api.verifier.safetyNumber(member), /^(\d{5} ){11}\d{5}$/u);

      await api.verifier.setVerified(member, true);
      assert.deepStrictEqual(api.chat.snapshot().online.find((entry) => entry.name === 'david')?.verified, true);
      dave.client.send({ text: 'from a verified david' });
      const verified = await appended((item) => item.text === 'from a verified david', 'david\'s message in the panel');
      assert.deepStrictEqual([verified.verified, verified.warning], [true, undefined]);

      // A server whose directory is lost (deleted, or an older copy put back: its operator can) lets
      // another key claim the name; the verification is what catches it.
      dave.client.dispose();
      await vscode.commands.executeCommand('secureChat.stopServer');
      await status('offline');
      fs.rmSync(path.join(api.serverDataDir, 'members.json'));
      await vscode.commands.executeCommand('secureChat.startServer');
      await status('connected');
      dave = new Member(address, 'david');
      dave.client.connect();
      await dave.connected();
      for (const text of ['first from the new key', 'second from the new key']) {
        dave.client.send({ text });
        const item = await appended((candidate) => candidate.text === text, `"${text}" in the panel`);
        assert.strictEqual(item.verified, undefined);
        assert.match(item.warning ?? '', /^Warning: this name was verified with another key \([0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}\)\./u);
      }
      const entry = await waitFor(() => api.chat.snapshot().online.find((candidate) => candidate.name === 'david' && candidate.keyChanged === true), fromEvent(api.chat.onDidUpdate.bind(api.chat)), 'the new key marked in the list');
      assert.strictEqual(entry.id, dave.identity.keyId);
    } finally {
      dave.client.dispose();
    }
  });

  it('delivers a message typed while the server restarts exactly once', async () => {
    const firstPid = api.serverPid()!;
    await vscode.commands.executeCommand('secureChat.stopServer');
    assert.strictEqual(api.serverPid(), undefined);
    assert.strictEqual(isAlive(firstPid), false, 'Stop Server left the server process running');
    await status('offline');

    api.chat.send('typed during the restart');
    const pending = await appended((item) => item.text === 'typed during the restart', 'the queued message');
    assert.strictEqual(pending.status, 'pending');

    await vscode.commands.executeCommand('secureChat.startServer');
    await panelUpdate((u) => u.type === 'delivery' && u.id === pending.id && u.status === 'sent', 'the queued message sent');
    await bob.receive('typed during the restart');
    api.chat.send('marker after the restart');
    await bob.receive('marker after the restart');
    assert.strictEqual(bob.received.filter((m) => m.body.text === 'typed during the restart').length, 1);

    // The room itself holds it once: a member who was never there reads it in the history.
    const carol = new Member(address, 'carol');
    try {
      const history = within(new Promise<string[]>((resolve) => carol.client.on('history', (page) => resolve(page.messages.map((m) => m.body.text)))), 15_000, 'carol\'s history');
      carol.client.connect();
      const texts = await history;
      assert.strictEqual(texts.filter((text) => text === 'typed during the restart').length, 1, texts.join(' | '));
    } finally {
      carol.client.dispose();
    }
  });

  it('rotates the room key with a member online: both go on chatting without reconnecting', async () => {
    const bobStates: string[] = [];
    const stop = bob.client.on('state', (state) => bobStates.push(state.status));
    try {
      await vscode.commands.executeCommand('secureChat.rotateRoomKey');
      api.chat.send('sealed under the new key');
      await bob.receive('sealed under the new key');
      bob.client.send({ text: 'reply under the new key' });
      await appended((item) => item.text === 'reply under the new key', 'bob\'s reply in the panel');
      assert.deepStrictEqual(bobStates, [], 'bob stayed connected');
    } finally {
      stop();
    }
  });

  it('changes the room password with a member online: the old one stops working, alice gets back in by herself, history stays', async () => {
    const newPassword = 'the room password after the change';
    const bobStopped = waitFor(
      () => (bob.client.state.status === 'error' ? bob.client.state : undefined),
      (listener) => bob.client.on('state', listener), 'bob told the password changed',
    );
    await api.changeRoomPassword(newPassword);
    const stopped = await bobStopped;
    assert.deepStrictEqual(stopped, { status: 'error', kind: 'auth-failed', message: 'the room password was changed: enter the new password' });
    await status('connected');
    assert.strictEqual(await new PasswordStore(api.secrets).get(address), newPassword);

    bob.client.dispose();
    const oldPassword = new ChatClient({ address, password: PASSWORD, username: 'mallory' });
    try {
      const refused = waitFor(() => (oldPassword.state.status === 'error' ? oldPassword.state : undefined), (listener) => oldPassword.on('state', listener), 'the old password refused');
      oldPassword.connect();
      assert.strictEqual((await refused).status === 'error' && (await refused).kind, 'auth-failed');
    } finally {
      oldPassword.dispose();
    }
    bob = new Member(address, 'bob', newPassword, bob.identity);
    const history = within(new Promise<string[]>((resolve) => bob.client.on('history', (page) => resolve(page.messages.map((m) => m.body.text)))), 15_000, 'bob\'s history');
    bob.client.connect();
    const texts = await history;
    assert.ok(texts.includes('hello from alice') && texts.includes('sealed under the new key'), texts.join(' | '));
    api.chat.send('after the password change');
    await bob.receive('after the password change');
  });

  it('stops the server, leaving no process, and the own chat goes offline instead of retrying it', async () => {
    const pid = api.serverPid()!;
    const kinds: string[] = [];
    const subscription = api.status.onDidChange((view) => kinds.push(view.kind));
    await vscode.commands.executeCommand('secureChat.stopServer');
    assert.strictEqual(isAlive(pid), false);
    const view = await status('offline');
    subscription.dispose();
    assert.strictEqual(view.text, '$(debug-disconnect) Secure Chat: offline');
    assert.deepStrictEqual(kinds.filter((kind) => kind === 'reconnecting'), [], 'the chat never retried the stopped server');
    const stopped = await panelUpdate((u) => u.type === 'connection' && u.status === 'disconnected' && u.detail !== undefined, 'the panel told why');
    assert.deepStrictEqual(stopped, {
      type: 'connection', status: 'disconnected', address, detail: 'The server on this computer was stopped.', actions: ['startServer', 'reconnect'],
    });
  });

  it('creates a named room on its own server and joins it: its own password, members and history, apart from the default room', async () => {
    const teamPassword = 'the team room password, its own';
    const roomAddress = `${address}/team`;
    await vscode.commands.executeCommand('secureChat.startServer');
    await status('connected');
    await api.createRoom('team', teamPassword);
    await panelUpdate((u) => u.type === 'connection' && u.status === 'connected' && u.address === roomAddress, 'the chat in the new room');
    assert.strictEqual(await new PasswordStore(api.secrets).get(roomAddress), teamPassword);
    const carol = new Member(roomAddress, 'carol', teamPassword);
    try {
      carol.client.connect();
      await carol.connected();
      api.chat.send('only in the team room');
      await carol.receive('only in the team room');
      assert.ok(!bob.received.some((m) => m.body.text === 'only in the team room'), 'the default room\'s member never saw it');
    } finally {
      carol.client.dispose();
      await new PasswordStore(api.secrets).forget(roomAddress);
    }
  });

  it('Stop Server takes the named room on it offline with the default room, and Start Server brings both back', async () => {
    const roomAddress = `${address}/design`;
    const statusOf = (room: string) => api.chat.rooms().find((joined) => joined.address === room)?.status;
    const roomIs = (room: string, wanted: string, when: string) =>
      waitFor(() => (statusOf(room) === wanted ? true : undefined), fromEvent(api.chat.onDidChangeRooms), `${room} ${wanted} ${when}`);
    await api.createRoom('design', 'the design room password, its own');
    try {
      await roomIs(roomAddress, 'connected', 'once created');
      await vscode.commands.executeCommand('secureChat.stopServer');
      await Promise.all([roomIs(address, 'disconnected', 'after Stop Server'), roomIs(roomAddress, 'disconnected', 'after Stop Server')]);
      await vscode.commands.executeCommand('secureChat.startServer');
      await Promise.all([roomIs(address, 'connected', 'after Start Server'), roomIs(roomAddress, 'connected', 'after Start Server')]);
    } finally {
      await new PasswordStore(api.secrets).forget(roomAddress);
    }
  });
});
