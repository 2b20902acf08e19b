// The room key epochs this client holds: memory only, filled from the server's `epoch` frames and
// wiped when the client is disposed or its password is refused or changed. New
// messages are sealed under the current epoch; any epoch held opens messages and presence entries.
import { EpochKeys, epochKeys } from '../crypto';

export class Keyring {
  private readonly keys = new Map<number, EpochKeys>();
  private currentNumber: number | undefined;

  constructor(private readonly roomId: Buffer) {}

  /**
   * Adds an opened epoch secret; `current` makes it the one new messages are sealed under, if it is
   * newer than the current one: epochs only move forward, and the flag is not sealed with the secret,
   * so an older epoch's frame replayed as current by someone on the path changes nothing.
   */
  add(number: number, secret: Buffer, current: boolean): void {
    this.keys.set(number, epochKeys(secret, this.roomId, number));
    secret.fill(0);
    if (current && (this.currentNumber === undefined || number > this.currentNumber)) this.currentNumber = number;
  }

  has(number: number): boolean {
    return this.keys.has(number);
  }

  /** The keys new messages are sealed under; undefined until the server has named a current epoch. */
  get current(): EpochKeys | undefined {
    return this.currentNumber === undefined ? undefined : this.keys.get(this.currentNumber);
  }

  /** For openEpochMessage: the keys of an epoch held, or undefined. */
  readonly lookup = (number: number): EpochKeys | undefined => this.keys.get(number);

  /** Overwrites every key and forgets them. */
  wipe(): void {
    for (const keys of this.keys.values()) {
      for (const key of [keys.messageEncryption, keys.messageMac, keys.usernameEncryption, keys.handshakeAuth]) key.fill(0);
    }
    this.keys.clear();
    this.currentNumber = undefined;
  }
}
