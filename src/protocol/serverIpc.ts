// The IPC protocol between the extension and the chat server it spawns (child_process.fork with an
// IPC channel). The password travels here, never in argv or the environment of a spawned child.
// Both ends validate what they receive with the parsers below.
//
// parent -> child: start (exactly once), then stop.
// child -> parent: listening after start, or error; stopped after stop (or a signal) once the
//                  store is flushed and every socket is closed. The child exits right after.

export const SERVER_IPC_ERROR_CODES = [
  'bad-request', 'port-in-use', 'listen-failed', 'wrong-password', 'store-corrupt', 'data-dir-locked', 'internal',
] as const;
export type ServerIpcErrorCode = (typeof SERVER_IPC_ERROR_CODES)[number];

export type ParentToServer =
  | { type: 'start'; password: string; host: string; port: number; dataDir: string }
  | { type: 'stop' };

export type ServerToParent =
  | { type: 'listening'; address: string; roomId: string }
  | { type: 'error'; code: ServerIpcErrorCode; message: string }
  | { type: 'stopped' };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** Null for anything that is not a well-formed parent message. Port 0 asks for any free port. */
export function parseParentMessage(value: unknown): ParentToServer | null {
  if (!isObject(value)) return null;
  if (value.type === 'stop') return { type: 'stop' };
  if (value.type !== 'start') return null;
  const { password, host, port, dataDir } = value;
  if (!isText(password, 4096) || !isText(host, 255) || !isPort(port) || !isText(dataDir, 4096)) return null;
  return { type: 'start', password, host, port, dataDir };
}

export function parseServerMessage(value: unknown): ServerToParent | null {
  if (!isObject(value)) return null;
  switch (value.type) {
    case 'listening':
      return isText(value.address, 300) && isText(value.roomId, 64) ? { type: 'listening', address: value.address, roomId: value.roomId } : null;
    case 'error':
      return SERVER_IPC_ERROR_CODES.includes(value.code as ServerIpcErrorCode) && isText(value.message, 2000)
        ? { type: 'error', code: value.code as ServerIpcErrorCode, message: value.message }
        : null;
    case 'stopped':
      return { type: 'stopped' };
    default:
      return null;
  }
}
