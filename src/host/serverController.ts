// Start Server, Stop Server and Copy Invite: the embedded server as a person meets it. Start asks
// for the room password when none is stored for the server's address, runs the server with its
// data in this workspace's storage, explains a failed start with a way out (another port, the
// right password, a retry) and connects this window's chat to it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import { askText } from './inputs';
import { invite, localAddress, roomPathOn } from './rules/invite';
import type { ChannelLogger } from './logChannel';
import { askNewPassword } from './passwords';
import { changeRoomPasswordPrompt } from './rules/roomPassword';
import { translate } from './l10n';
import type { PasswordStore } from './passwords';
import type { ServerMemory } from './rules/serverMemory';
import type { ServerSecrets } from './serverSecrets';
import { roomNameProblem } from '../protocol/roomName';
import { EmbeddedServer, ServerExit, ServerProcessError } from './rules/serverProcess';
import type { SettingsWatcher } from './settingsWatcher';

export interface ServerControllerOptions {
  /** dist/server.js */
  readonly script: string;
  /** Where the room lives: this workspace's storage, or the global one with no folder open. */
  readonly dataDir: string;
  readonly passwords: PasswordStore;
  readonly settings: SettingsWatcher;
  readonly chat: ChatController;
  readonly log: ChannelLogger;
  /** Whether the server ran when VS Code closed, to start it again when it opens. */
  readonly memory: ServerMemory;
  /** The server secret that unlocks the rooms Create Room makes. */
  readonly serverSecrets: ServerSecrets;
}

export interface RunningServerInfo {
  readonly address: string;
  readonly roomId: string;
  readonly pid: number;
}

const RUNNING_CONTEXT = 'secureChat.serverRunning';

/**
 * Whether the data directory holds a room: the server writes its room file (room.json, see
 * src/server/room.ts) when it creates one. Without it, the next start creates the room, so its
 * password is chosen (twice, meeting the floor) rather than entered.
 */
function roomExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'room.json'));
}

/** Whether a room's address is on the server reached at `local` (its default room or a named one). */
const onServer = (local: string) => (address: string): boolean => roomPathOn(local, address) !== undefined;

export class ServerController implements vscode.Disposable {
  private server: { readonly process: EmbeddedServer; readonly host: string } | undefined;
  /** Start and stop run one at a time, so two quick clicks cannot start two servers. */
  private queue: Promise<void> = Promise.resolve();
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changes.event;

  constructor(private readonly options: ServerControllerOptions) {}

  get running(): RunningServerInfo | undefined {
    const server = this.server?.process;
    return server && { address: server.address, roomId: server.roomId, pid: server.pid };
  }

  start(port?: number): Promise<void> {
    return this.serialize(() => this.doStart(port));
  }

  stop(): Promise<void> {
    return this.serialize(() => this.doStop(true));
  }

  /**
   * At activation: the server that ran when VS Code closed (or the window reloaded) starts again,
   * unless secureChat.server.restartOnOpen is off. Asks for the password only if none is stored, as
   * Start Server does. Resolves whether the server runs.
   */
  restoreAfterRestart(): Promise<boolean> {
    return this.options.memory.restore(this.options.settings.current.restartOnOpen, async () => {
      this.options.log.log('info', 'server-restarting', { why: 'it was running when VS Code closed' });
      try {
        await this.start();
      } catch (error) {
        this.options.log.log('error', 'server-restart-failed', { error: error instanceof Error ? error.message : String(error) });
      }
      return this.server !== undefined;
    });
  }

  async copyInvite(): Promise<void> {
    const server = this.server;
    if (!server) {
      const start = vscode.l10n.t('Start Server');
      if ((await vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: the server is not running, so there is nothing to invite to yet.'), start)) === start) await this.start();
      return;
    }
    const found = invite(server.host, server.process.port, os.networkInterfaces(), translate);
    // In a named room of this server, the invite is to that room.
    const offer = { ...found, address: `${found.address}${this.ownRoomPath(server) ?? ''}` };
    if (offer.reachable) {
      await vscode.env.clipboard.writeText(offer.address);
      void vscode.window.showInformationMessage(vscode.l10n.t(
        'Secure Chat: copied {0}. Teammates join with “Secure Chat: Join a Room...” and need the room password too: tell them that separately, never with the address.',
        offer.address,
      ));
      return;
    }
    const openSetting = vscode.l10n.t('Open Setting');
    const copy = vscode.l10n.t('Copy Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Secure Chat: {0} Teammates cannot reach it. To let them in, set “secureChat.server.host” to 0.0.0.0 (every network interface) or this computer\'s LAN address, then restart the server.', offer.why),
      openSetting, copy,
    );
    if (choice === openSetting) await vscode.commands.executeCommand('workbench.action.openSettings', 'secureChat.server.host');
    if (choice === copy) await vscode.env.clipboard.writeText(offer.address);
  }

  /** "Rotate Room Key": a new random key for new messages; members online move to it without reconnecting. */
  rotateRoomKey(): Promise<void> {
    return this.serialize(async () => {
      const server = this.requireRunning(vscode.l10n.t('Secure Chat: the server is not running in this window, so there is no room to rotate its room key.'));
      if (!server) return;
      const epoch = await server.process.rotate();
      this.options.log.log('info', 'room-key-rotated', { epoch });
      void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: new messages are now sealed under a new room key (epoch {0}); members online moved to it.', epoch));
    });
  }

  /**
   * "Change Room Password": the old password stops working at once; every member is disconnected
   * and gets back in with the new one, keeping all history. This window's chat reconnects by itself.
   * The command asks for the new password; `given` is for the extension-host tests.
   */
  changeRoomPassword(given?: string): Promise<void> {
    return this.serialize(async () => {
      const server = this.requireRunning(vscode.l10n.t('Secure Chat: the server is not running in this window, so there is no room to change its password.'));
      if (!server) return;
      const address = localAddress(server.host, server.process.port);
      const password = given ?? (await askNewPassword(vscode.l10n.t('Secure Chat: Change Room Password'), changeRoomPasswordPrompt(translate)));
      if (password === undefined) return;
      this.options.chat.expectPasswordChange(address);
      let epoch: number;
      try {
        epoch = await server.process.changePassword(password);
      } catch (error) {
        this.options.chat.expectPasswordChange(undefined);
        throw error;
      }
      await this.options.passwords.set(address, password);
      this.options.chat.passwordChanged(address);
      this.options.log.log('info', 'room-password-changed', { epoch });
      void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: the room password was changed. Members online were disconnected: tell them the new password (not with the address). The old password no longer gets in.'));
    });
  }

  /** `notRunning` is what the user is told when it is not. */
  private requireRunning(notRunning: string): { readonly process: EmbeddedServer; readonly host: string } | undefined {
    if (!this.server) void vscode.window.showInformationMessage(notRunning);
    return this.server;
  }

  /** For deactivate(): stops the server, waiting for it (bounded by EmbeddedServer.stop). */
  dispose(): Promise<void> {
    return this.serialize(() => this.doStop(false)).finally(() => this.changes.dispose());
  }

  private serialize(action: () => Promise<void>): Promise<void> {
    const next = this.queue.then(action);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async doStart(portOverride: number | undefined): Promise<void> {
    if (this.server) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: the server is already running on {0}.', this.server.process.address));
      return;
    }
    const { passwords, settings, log, dataDir, script } = this.options;
    const host = settings.current.serverHost;
    const port = portOverride ?? settings.current.serverPort;
    const address = localAddress(host, port);
    const password = (await passwords.get(address)) ?? (roomExists(dataDir)
      ? await passwords.prompt(address, { reason: vscode.l10n.t('The room kept in this workspace exists already, and its password is not stored on this computer.') })
      : await passwords.choose(address));
    if (!password) return;
    fs.mkdirSync(dataDir, { recursive: true });
    const serverSecret = await this.options.serverSecrets.forDataDir(dataDir);
    if (serverSecret === undefined) log.log('warn', 'server-secret-missing', { why: 'the data directory was unlocked by a secret this computer does not hold: named rooms stay closed' });
    let server: EmbeddedServer;
    try {
      server = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Secure Chat: starting the server') },
        () => EmbeddedServer.start({ script, password, host, port, dataDir, serverSecret, logger: log }),
      );
    } catch (error) {
      if (!(error instanceof ServerProcessError)) throw error;
      log.log('error', 'server-start-failed', { code: error.code, why: error.message });
      void this.explainStartFailure(error, host, port, address);
      return;
    }
    this.server = { process: server, host };
    void this.options.memory.started();
    void server.exited.then((exit) => this.onExit(server, exit));
    log.log('info', 'server-listening', { pid: server.pid, address: server.address, room: server.roomId });
    this.changed();
    const local = localAddress(host, server.port);
    await this.options.chat.connect(local, { roomId: server.roomId });
    // The other rooms on it that Stop Server took offline (its default room is the one above).
    await this.options.chat.reconnectWhere(onServer(local));
    void this.offerInvite();
  }

  /**
   * "Create Room...": a named room on this window's running server, with its own password (chosen
   * twice, meeting the floor, unless `given`). Resolves with the room's address for the chat to
   * join, or undefined.
   */
  async createRoom(given?: { readonly name: string; readonly password: string }): Promise<string | undefined> {
    const server = this.server;
    if (!server) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: start the server first: a room is created on your own running server.'));
      return undefined;
    }
    const name = given?.name ?? await askText({
      title: vscode.l10n.t('Secure Chat: Create Room'),
      prompt: vscode.l10n.t('Name of the new room: teammates join it at the server\'s address followed by /name.'),
      placeholder: vscode.l10n.t('e.g. design'),
      validate: (value) => (roomNameProblem(value) === null ? null : vscode.l10n.t('Use 1 to 64 characters of a-z, 0-9, - and _.')),
    });
    if (name === undefined) return undefined;
    const address = `${localAddress(server.host, server.process.port)}/${name}`;
    const password = given ? await this.options.passwords.set(address, given.password).then(() => given.password) : await this.options.passwords.choose(address);
    if (!password) return undefined;
    await server.process.createRoom(name, password);
    this.options.log.log('info', 'room-created', { name });
    return address;
  }

  /** The step after a start: whom to tell what, with the address a click away. */
  private async offerInvite(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const { address } = invite(server.host, server.process.port, os.networkInterfaces());
    const inviteTeammates = vscode.l10n.t('Invite Teammates');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Secure Chat: your room is running at {0}. Invite teammates: give them this address, and tell them the room password separately, never in the same message.', address),
      inviteTeammates,
    );
    if (choice === inviteTeammates) await this.copyInvite();
  }

  private async doStop(tell: boolean): Promise<void> {
    const server = this.server;
    if (!server) {
      if (tell) void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: the server is not running.'));
      return;
    }
    // This window's chat goes offline in every room of this server first, and for good: nothing
    // would answer its retries. Stopped by the user, those rooms stay offline at the next start of
    // VS Code too, until the server starts again (doStart).
    const own = this.options.chat.disconnectWhere(onServer(localAddress(server.host, server.process.port)), tell) > 0;
    // Stopped by the user, it stays stopped next time; stopped because VS Code closes, it starts again.
    if (tell) void this.options.memory.stopped();
    await server.process.stop();
    this.server = undefined;
    this.options.log.log('info', 'server-stopped', { pid: server.process.pid });
    this.changed();
    if (tell && own) void this.offerRestart();
  }

  private async offerRestart(): Promise<void> {
    const start = vscode.l10n.t('Start Server');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: the server was stopped, so the chat is offline. Messages you type wait until it is back.'), start);
    if (choice === start) await this.start();
  }

  private onExit(server: EmbeddedServer, exit: ServerExit): void {
    if (this.server?.process !== server) return;
    this.server = undefined;
    this.changed();
    if (exit.requested) return;
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    this.options.log.log('error', 'server-stopped-unexpectedly', { pid: server.pid, how });
    const problem = exit.signal
      ? vscode.l10n.t('the server stopped unexpectedly (signal {0}).', exit.signal)
      : vscode.l10n.t('the server stopped unexpectedly (exit code {0}).', String(exit.code));
    void this.offerActions(problem, [vscode.l10n.t('Restart'), () => this.start()]);
  }

  private async explainStartFailure(error: ServerProcessError, host: string, port: number, address: string): Promise<void> {
    const retry = vscode.l10n.t('Retry');
    switch (error.code) {
      case 'port-in-use':
        return this.offerActions(
          vscode.l10n.t('port {0} on {1} is already in use (by another program, or a Secure Chat server in another window).', port, host),
          [vscode.l10n.t('Use Another Port'), () => this.askForPort(port)],
          [retry, () => this.start(port)],
        );
      case 'wrong-password':
        return this.offerActions(
          vscode.l10n.t('the room kept in this workspace was created with a different password.'),
          [vscode.l10n.t('Re-enter Password'), async () => {
            if (await this.options.passwords.prompt(address, { reason: vscode.l10n.t('The room kept in this workspace was created with another password.') })) await this.start(port);
          }],
        );
      case 'data-dir-locked':
        return this.offerActions(
          vscode.l10n.t('another Secure Chat server already uses this workspace\'s room (is it running in another VS Code window?).'), [retry, () => this.start(port)],
        );
      case 'store-corrupt':
        return this.offerActions(vscode.l10n.t('the room\'s data in {0} is damaged: {1}.', this.options.dataDir, error.message));
      default:
        return this.offerActions(vscode.l10n.t('the server could not start: {0}.', error.message), [retry, () => this.start(port)]);
    }
  }

  private async askForPort(taken: number): Promise<void> {
    const answer = await askText({
      title: vscode.l10n.t('Secure Chat: Server Port'),
      prompt: vscode.l10n.t('Port {0} is taken. Which port should the server listen on?', taken),
      placeholder: vscode.l10n.t('A port from 1 to 65535, e.g. 7778'),
      value: String(taken === 65535 ? 1024 : taken + 1),
      validate: (value) => (/^\d+$/u.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? null : vscode.l10n.t('Enter a whole number from 1 to 65535.')),
    });
    if (answer === undefined) return;
    await this.options.settings.update('server.port', Number(answer));
    await this.start(Number(answer));
  }

  /** An error with its remedies as buttons, and always the log. */
  private async offerActions(problem: string, ...actions: [string, () => Promise<void>][]): Promise<void> {
    const showLog = vscode.l10n.t('Show Log');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Secure Chat: {0}', problem), ...actions.map(([label]) => label), showLog);
    if (choice === showLog) this.options.log.show();
    await actions.find(([label]) => label === choice)?.[1]();
  }

  /** The path of the room of `server` the chat is in ('' for its default room, '/<name>' for a named one), or undefined for none. */
  private ownRoomPath(server: { readonly process: EmbeddedServer; readonly host: string }): string | undefined {
    const address = this.options.chat.address;
    return address === undefined ? undefined : roomPathOn(localAddress(server.host, server.process.port), address);
  }

  private changed(): void {
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, this.server !== undefined);
    this.changes.fire();
  }
}
