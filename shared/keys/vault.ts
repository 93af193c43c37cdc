import type { AeadKey } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';

/** A P-256 key pair: raw 65-byte public key, PKCS#8 private key. */
export interface KeyPairBytes {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export interface VaultKeys {
  readonly userKey: AeadKey;
  /** ECDH P-256: receives keys shared with this user. */
  readonly encryption: KeyPairBytes;
  /** ECDSA P-256: signs the grants this user makes. */
  readonly signing: KeyPairBytes;
  /** HMAC key for the app's settings (settings-mac.ts), derived from the user key at unlock. */
  readonly settingsKey?: Uint8Array;
}

interface UnlockedState {
  userKey: AeadKey;
  encryption: KeyPairBytes;
  signing: KeyPairBytes;
  settingsKey: Uint8Array | null;
  folderKeys: Map<string, AeadKey>;
  appKeys: Map<string, AeadKey>;
}

function versioned(id: string, version: number): string {
  return `${id}#${version}`;
}

/**
 * An unlocked session's keys. `lock()` zeroes the private-key bytes it holds and drops every key
 * reference, so after it nothing reachable from the vault can decrypt (SECURITY-CASES LS-01);
 * every later use throws `vault_locked`. WebCrypto keys are non-extractable objects the garbage
 * collector reclaims once unreferenced; byte arrays are overwritten because they may linger.
 */
export class Vault {
  readonly accountId: string;
  #state: UnlockedState | null;

  constructor(accountId: string, keys: VaultKeys) {
    this.accountId = accountId;
    this.#state = {
      userKey: keys.userKey,
      encryption: keys.encryption,
      signing: keys.signing,
      settingsKey: keys.settingsKey ?? null,
      folderKeys: new Map(),
      appKeys: new Map(),
    };
  }

  get isLocked(): boolean {
    return this.#state === null;
  }

  #unlocked(): UnlockedState {
    if (this.#state === null) {
      throw new CofferError(
        'vault_locked',
        'The vault is locked; unlock it with the master password.',
      );
    }
    return this.#state;
  }

  get userKey(): AeadKey {
    return this.#unlocked().userKey;
  }

  get encryptionKeyPair(): KeyPairBytes {
    return this.#unlocked().encryption;
  }

  get signingKeyPair(): KeyPairBytes {
    return this.#unlocked().signing;
  }

  /** The settings HMAC key; `settings_unavailable` for a vault opened without one. */
  get settingsKey(): Uint8Array {
    const key = this.#unlocked().settingsKey;
    if (key === null) {
      throw new CofferError(
        'settings_unavailable',
        'This vault was opened without a settings key.',
      );
    }
    return key;
  }

  /** Number of keys the vault currently references (user key and key pairs included). */
  get heldKeyCount(): number {
    const state = this.#state;
    if (state === null) return 0;
    const settings = state.settingsKey === null ? 0 : 1;
    return 3 + settings + state.folderKeys.size + state.appKeys.size;
  }

  rememberFolderKey(folderId: string, version: number, key: AeadKey): void {
    this.#unlocked().folderKeys.set(versioned(folderId, version), key);
  }

  folderKey(folderId: string, version: number): AeadKey {
    const key = this.#unlocked().folderKeys.get(versioned(folderId, version));
    if (key === undefined) {
      throw new CofferError(
        'invalid_input',
        `No folder key of version ${version} is unlocked for this folder.`,
      );
    }
    return key;
  }

  rememberAppKey(appId: string, version: number, key: AeadKey): void {
    this.#unlocked().appKeys.set(versioned(appId, version), key);
  }

  appKey(appId: string, version: number): AeadKey {
    const key = this.#unlocked().appKeys.get(versioned(appId, version));
    if (key === undefined) {
      throw new CofferError(
        'invalid_input',
        `No app key of version ${version} is unlocked for this application.`,
      );
    }
    return key;
  }

  /** Drops every key. Idempotent; never throws, so it is safe in idle and OS-lock handlers. */
  lock(): void {
    const state = this.#state;
    if (state === null) return;
    this.#state = null;
    state.encryption.privateKey.fill(0);
    state.signing.privateKey.fill(0);
    state.settingsKey?.fill(0);
    state.folderKeys.clear();
    state.appKeys.clear();
  }
}
