// Every Secure Chat command, by the name after "secureChat.". Free of the vscode API so a unit test
// checks the list against package.json; commands.ts must register exactly these.

export const COMMAND_NAMES = [
  'startServer', 'stopServer', 'connect', 'reconnect', 'disconnect', 'setPassword', 'forgetPassword', 'setUsername',
  'openChat', 'sendSelection', 'copyInvite', 'showLog', 'rotateRoomKey', 'changeRoomPassword', 'verifyMember',
  'createRoom', 'searchMessages', 'switchRoom', 'leaveRoom',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];
export type CommandId = `secureChat.${CommandName}`;

export function commandId(name: CommandName): CommandId {
  return `secureChat.${name}`;
}
