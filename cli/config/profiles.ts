import { join } from 'node:path';
import { CofferError } from '../../shared/errors.ts';
import type { PendingDevice } from '../../shared/keys/device-profile.ts';
import {
  PROFILE_NAME,
  activeDocument,
  assertProfileName,
  parseDocument,
  pendingDocument,
  type ActiveDocument,
  type ConfigDocument,
  type DeviceInfo,
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
    return parseDocument(text.toString('utf8'), `Profile "${name}"`);
  }

  async read(name: string): Promise<ConfigDocument | undefined> {
    return this.#read(name);
  }

  /** The completed profile, or `profile_not_found` saying how to make one. */
  async active(name: string): Promise<ActiveDocument> {
    const document = await this.#read(name);
    if (document === undefined) {
      throw new CofferError(
        'profile_not_found',
        `No Coffer profile "${name}". Run "coffer init --profile ${name}" with a device token, ` +
          'or set COFFER_CONFIG.',
      );
    }
    if (document.state !== 'active') {
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
      const same = existing.state === 'active' && existing.profile.deviceId === pending.deviceId;
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
    if (
      existing !== undefined &&
      (existing.state === 'active' ? existing.profile.deviceId : existing.pending.deviceId) !==
        profile.deviceId
    ) {
      throw new CofferError('profile_exists', `Profile "${name}" already holds another device.`);
    }
    await this.#write(name, activeDocument(profile, info));
  }

  /**
   * Records that the server answered `device_revoked` for this profile's device. Only the flag
   * changes; the keys stay, so that `coffer profile remove` is still the one place that
   * deletes a device's keys.
   */
  async markRevoked(name: string, atSeconds: number): Promise<void> {
    const existing = await this.#read(name);
    if (existing?.state !== 'active' || existing.revokedAt !== undefined) return;
    await this.#write(name, { ...existing, revokedAt: atSeconds });
  }

  /** Whether `name` is a completed profile whose device is not known to be revoked. */
  async usable(name: string): Promise<boolean> {
    // One that cannot be read (loose permissions, damage) is not usable either; commands that
    // use it report why.
    const document = await this.#read(name).catch(() => undefined);
    return document?.state === 'active' && document.revokedAt === undefined;
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
    await this.active(name);
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
