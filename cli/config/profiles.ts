import { join } from 'node:path';
import { CofferError } from '../../shared/errors.ts';
import type { PendingDevice } from '../../shared/keys/device-profile.ts';
import {
  PROFILE_NAME,
  activeDocument,
  assertProfileName,
  parseDocument,
  pendingDocument,
  revokedDocument,
  type ActiveDocument,
  type ConfigDocument,
  type DeviceInfo,
  type RevokedDocument,
} from './document.ts';
import {
  ensurePrivateDir,
  lstat,
  readdir,
  readIfExists,
  removeIfExists,
  writeFileAtomic,
} from './files.ts';
import { profilesDir } from './paths.ts';

/**
 * Named device profiles under the configuration folder: `profiles/<name>.json` (0600, folder
 * 0700) and `current` naming the default one. Like OpenSSH with private keys, a profile file
 * that others can read is refused rather than used.
 */
export const DEFAULT_PROFILE = 'default';

export interface ProfileEntry {
  readonly name: string;
  readonly current: boolean;
  readonly document: ConfigDocument;
}

export class ProfileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  path(name: string): string {
    assertProfileName(name);
    return join(profilesDir(this.root), `${name}.json`);
  }

  async #read(name: string): Promise<ConfigDocument | undefined> {
    const path = this.path(name);
    let info;
    try {
      info = await lstat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (!info.isFile()) {
      throw new CofferError('config_invalid', `${path} is not a regular file; move it away.`);
    }
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      throw new CofferError(
        'config_invalid',
        `${path} has permissions ${mode}, readable by others; it holds the device's private ` +
          `keys. Run "chmod 600 ${path}" and consider the device compromised if others could ` +
          'read it.',
      );
    }
    const text = await readIfExists(path);
    if (text === undefined) return undefined;
    const document = parseDocument(text.toString('utf8'), `Profile "${name}"`);
    if (document.state !== 'active' || document.revokedAt === undefined) return document;
    // Marked revoked by an older version, which kept the keys: erase them now.
    const tombstone = revokedDocument(document, document.revokedAt);
    await this.#write(name, tombstone);
    return tombstone;
  }

  async read(name: string): Promise<ConfigDocument | undefined> {
    return this.#read(name);
  }

  /**
   * The completed profile, or `profile_not_found` saying how to make one, or `device_revoked`
   * when only its tombstone is left.
   */
  async active(name: string): Promise<ActiveDocument> {
    const document = await this.completed(name);
    if (document.state === 'revoked') {
      throw new CofferError('device_revoked', 'This device has been revoked');
    }
    return document;
  }

  /** The completed profile or the tombstone of a revoked one; else `profile_not_found`. */
  async completed(name: string): Promise<ActiveDocument | RevokedDocument> {
    const document = await this.#read(name);
    if (document === undefined) {
      throw new CofferError(
        'profile_not_found',
        `No Coffer profile "${name}". Run "coffer init --profile ${name}" with a device token, ` +
          'or set COFFER_CONFIG.',
      );
    }
    if (document.state === 'pending') {
      throw new CofferError(
        'profile_not_found',
        `Profile "${name}" was never completed (its redemption did not finish). Run ` +
          `"coffer init --profile ${name}" again with the same token.`,
      );
    }
    return document;
  }

  /**
   * Stores the new key pairs before the token is spent. An unfinished profile for the same
   * device (same token) is reused, so a retry after a crash resends the same keys; anything
   * else already under that name is refused, never overwritten.
   */
  async savePending(name: string, pending: PendingDevice): Promise<PendingDevice> {
    const existing = await this.#read(name);
    if (existing !== undefined) {
      if (existing.state === 'pending' && existing.pending.deviceId === pending.deviceId) {
        return existing.pending;
      }
      const same = deviceIdOf(existing) === pending.deviceId;
      throw new CofferError(
        'profile_exists',
        same
          ? `This token was already redeemed into profile "${name}"; nothing was changed.`
          : `Profile "${name}" already holds another device; nothing was changed. Choose ` +
              `another name with --profile, or run "coffer profile remove ${name}" first.`,
      );
    }
    await this.#write(name, pendingDocument(pending));
    return pending;
  }

  async saveActive(name: string, profile: ActiveDocument['profile'], info: DeviceInfo) {
    const existing = await this.#read(name);
    if (existing?.state === 'revoked') {
      // The server bound the device, then revoked it before this save: keep the tombstone.
      throw new CofferError('device_revoked', 'This device has been revoked');
    }
    if (existing !== undefined && deviceIdOf(existing) !== profile.deviceId) {
      throw new CofferError('profile_exists', `Profile "${name}" already holds another device.`);
    }
    await this.#write(name, activeDocument(profile, info));
  }

  /**
   * Replaces the profile of `deviceId`, which the server answered `device_revoked` for, with its
   * tombstone: the private keys and the app key are erased, so neither a copy of the offline
   * cache nor a signed request can be made with what is left (DESIGN.md "Offline cache"). A
   * profile that meanwhile holds another device is left alone.
   */
  async revoke(name: string, deviceId: string, atSeconds: number): Promise<void> {
    const existing = await this.#read(name);
    if (existing?.state !== 'active' || existing.profile.deviceId !== deviceId) return;
    await this.#write(name, revokedDocument(existing, atSeconds));
  }

  /** Whether `name` is a completed profile whose device is not known to be revoked. */
  async usable(name: string): Promise<boolean> {
    // One that cannot be read (loose permissions, damage) is not usable either; commands that
    // use it report why.
    const document = await this.#read(name).catch(() => undefined);
    return document?.state === 'active';
  }

  async #write(name: string, document: ConfigDocument): Promise<void> {
    await ensurePrivateDir(this.root);
    await ensurePrivateDir(profilesDir(this.root));
    await writeFileAtomic(this.path(name), `${JSON.stringify(document, null, 2)}\n`);
  }

  async remove(name: string): Promise<ConfigDocument | undefined> {
    const existing = await this.#read(name).catch(() => undefined);
    await removeIfExists(this.path(name));
    // A `current` file that cannot be read names no profile, this one included.
    const current = await this.current().catch(() => undefined);
    if (current === name) await removeIfExists(this.currentPath);
    return existing;
  }

  /** The file `coffer profile use` writes the current profile's name to. */
  get currentPath(): string {
    return join(this.root, 'current');
  }

  /**
   * The profile `coffer profile use` chose, else "default". A `current` file that does not hold
   * a profile name is refused naming that file, not as a bad name someone seemed to type.
   */
  async current(): Promise<string> {
    const path = this.currentPath;
    const fix = `Run "coffer profile use NAME" to choose the current profile, or delete ${path}.`;
    let bytes: Buffer | undefined;
    try {
      bytes = await readIfExists(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new CofferError('config_invalid', `${path} cannot be read (${code}). ${fix}`, {
        cause: error,
      });
    }
    const text = bytes?.toString('utf8').trim();
    if (text === undefined || text === '') return DEFAULT_PROFILE;
    if (!PROFILE_NAME.test(text)) {
      throw new CofferError(
        'config_invalid',
        `${path} should hold the name of the current profile, but what it holds is not a ` +
          `profile name. ${fix}`,
      );
    }
    return text;
  }

  async use(name: string): Promise<void> {
    await this.completed(name);
    await ensurePrivateDir(this.root);
    await writeFileAtomic(this.currentPath, `${name}\n`);
  }

  async list(): Promise<ProfileEntry[]> {
    let files: string[];
    try {
      files = await readdir(profilesDir(this.root));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A damaged `current` file marks none; the commands that need it say what is wrong.
    const current = await this.current().catch(() => undefined);
    const out: ProfileEntry[] = [];
    for (const file of files.sort()) {
      const name = file.replace(/\.json$/, '');
      if (!file.endsWith('.json') || !/^[A-Za-z0-9]/.test(name)) continue;
      const document = await this.#read(name);
      if (document !== undefined) out.push({ name, current: name === current, document });
    }
    return out;
  }
}

/** The device a stored document is (or was) about. */
export function deviceIdOf(document: ConfigDocument): string {
  if (document.state === 'active') return document.profile.deviceId;
  if (document.state === 'pending') return document.pending.deviceId;
  return document.deviceId;
}
