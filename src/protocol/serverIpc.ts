// The IPC protocol between the extension and the chat server it spawns (child_process.fork with an
// IPC channel). The password travels here, never in argv or the environment of a spawned child.
// Both ends check what they receive with the parsers below.
//
// parent -> child: start (exactly once), then any number of rotate / change-password / create-room,
//                  then stop.
// child -> parent: listening after start, or error; epoch-started (or epoch-failed) for each rotate
//                  and change-password, in order; room-created (or room-failed) for each create-room; stopped after stop (or a signal) once the store
//                  is flushed and every socket is closed. The child exits right after.
import * as v from 'valibot';
import { Checked, check, integer, oneOf, text, textWhere } from './check';
import { ROOM_NAME_RULE, roomNameProblem } from './roomName';

/** What a key change was: a new random epoch, or a new password (which also starts an epoch). */
export const KEY_CHANGES = ['rotate', 'change-password'] as const;
export type KeyChange = (typeof KEY_CHANGES)[number];

export const SERVER_IPC_ERROR_CODES = [
  'bad-request', 'port-in-use', 'listen-failed', 'wrong-password', 'store-corrupt', 'data-dir-locked', 'internal',
] as const;
export type ServerIpcErrorCode = (typeof SERVER_IPC_ERROR_CODES)[number];

const roomName = () => textWhere((value) => roomNameProblem(value) === null, `must be ${ROOM_NAME_RULE}`);

/** Port 0 asks for any free port; the server secret (which unlocks named rooms) is optional. */
const ParentToServerSchema = v.variant('type', [
  v.object({
    type: v.literal('start'), password: text(4096, 1), host: text(255, 1), port: integer(0, 65535), dataDir: text(4096, 1),
    serverSecret: v.optional(text(4096, 1)),
  }),
  v.object({ type: v.literal('create-room'), name: roomName(), password: text(4096, 1) }),
  v.object({ type: v.literal('stop') }),
  v.object({ type: v.literal('rotate') }),
  v.object({ type: v.literal('change-password'), password: text(4096, 1) }),
], 'must be a known message type');
export type ParentToServer = v.InferOutput<typeof ParentToServerSchema>;

const ServerToParentSchema = v.variant('type', [
  v.object({ type: v.literal('listening'), address: text(300, 1), roomId: text(64, 1) }),
  v.object({ type: v.literal('error'), code: oneOf(SERVER_IPC_ERROR_CODES, 'error code'), message: text(2000, 1) }),
  v.object({ type: v.literal('stopped') }),
  v.object({ type: v.literal('epoch-started'), change: oneOf(KEY_CHANGES, 'key change'), epoch: integer(0, 0xffff_ffff) }),
  v.object({ type: v.literal('epoch-failed'), change: oneOf(KEY_CHANGES, 'key change'), message: text(2000, 1) }),
  v.object({ type: v.literal('room-created'), name: roomName() }),
  v.object({ type: v.literal('room-failed'), name: roomName(), message: text(2000, 1) }),
], 'must be a known message type');
export type ServerToParent = v.InferOutput<typeof ServerToParentSchema>;

export function parseParentMessage(value: unknown): Checked<ParentToServer> {
  return check(ParentToServerSchema, value);
}

export function parseServerMessage(value: unknown): Checked<ServerToParent> {
  return check(ServerToParentSchema, value);
}
