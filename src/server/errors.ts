// Why the server could not start, as a code the CLI maps to an exit status and the IPC channel
// reports to the extension, plus a message for a human.
import type { ServerIpcErrorCode } from '../protocol/serverIpc';

export class StartError extends Error {
  constructor(readonly code: ServerIpcErrorCode, message: string) {
    super(message);
    this.name = 'StartError';
  }
}
