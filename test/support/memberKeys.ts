// One identity key per name, made on first use: a member that comes back (after a restart, say)
// keeps its key, as the extension does; another key would find its name taken in the directory.
import { IdentityKey } from '../../src/crypto';

export class MemberKeys {
  private readonly keys = new Map<string, IdentityKey>();

  of(name: string): IdentityKey {
    let key = this.keys.get(name);
    if (key === undefined) {
      key = IdentityKey.generate();
      this.keys.set(name, key);
    }
    return key;
  }
}
