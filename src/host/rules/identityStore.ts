// This installation's identity key: created on first use and kept in SecretStorage (the OS
// keychain where there is one) as base64 of its 32-byte private key, never in settings, state or
// logs. Free of the vscode API: the host passes its SecretStorage, which has this shape.
import { IDENTITY_PRIVATE_KEY_BYTES, IdentityKey } from '../../crypto';
import { decodeBase64, encodeBase64 } from '../../protocol/base64';

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
}

export const IDENTITY_SECRET = 'secureChat.identityKey';

/**
 * SecretStorage holds something that is not an identity key. It is never replaced silently: a new
 * key would make this installation a new member, whose name the room refuses as taken.
 */
export class IdentityStoreError extends Error {
  constructor() {
    super('the identity key in SecretStorage is unreadable');
    this.name = 'IdentityStoreError';
  }
}

/**
 * The stored identity, or a new one stored first. Two windows starting at once may both create
 * one; each reads back what SecretStorage kept after storing, so they end with the same key.
 */
export async function loadIdentity(secrets: SecretStore, create: () => IdentityKey = IdentityKey.generate): Promise<IdentityKey> {
  const stored = await secrets.get(IDENTITY_SECRET);
  if (stored !== undefined) return parseIdentity(stored);
  const created = create();
  const privateKey = created.exportPrivateKey();
  await secrets.store(IDENTITY_SECRET, encodeBase64(privateKey));
  privateKey.fill(0);
  const kept = await secrets.get(IDENTITY_SECRET);
  return kept === undefined ? created : parseIdentity(kept);
}

function parseIdentity(stored: string): IdentityKey {
  const privateKey = decodeBase64(stored, IDENTITY_PRIVATE_KEY_BYTES);
  if (privateKey === null) throw new IdentityStoreError();
  const identity = IdentityKey.fromPrivateKey(privateKey);
  privateKey.fill(0);
  return identity;
}
