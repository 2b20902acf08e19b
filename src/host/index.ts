// The host layer's surface for src/extension.ts, which only wires these parts together.
export { ChatController } from './chatController';
export { ChatViewProvider } from './chatViewProvider';
export type { ChatPanelModel } from './chatViewProvider';
export { registerCommands } from './commands';
export { loadIdentity } from './rules/identityStore';
export { LastRoom } from './rules/lastRoom';
export { OutboxStore } from './rules/outboxStore';
export { VerificationStore } from './rules/verificationStore';
export { MemberVerifier } from './verifyMember';
export { RoomPins } from './rules/roomPins';
export { ServerMemory } from './rules/serverMemory';
export { channelLogger } from './logChannel';
export { Notifier } from './notifier';
export { PasswordStore } from './passwords';
export { ServerController } from './serverController';
export { SettingsWatcher } from './settingsWatcher';
export { ChatStatusBar } from './statusBar';
export type { StatusBarText } from './rules/statusBarText';
