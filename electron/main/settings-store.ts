import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { CofferError } from '../../shared/errors.ts';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  type Settings,
  type SettingsUpdate,
} from '../../shared/ipc/settings.ts';
import type { Logger } from './logger.ts';

/**
 * Settings persisted by main, encrypted through the OS keychain (`safeStorage`). This is the only
 * thing main ever writes: vault keys never reach this process. Where no keychain is available the
 * settings live in memory for the session rather than being written in the clear.
 */
export interface SettingsStore {
  current(): Settings;
  update(change: SettingsUpdate): Promise<Settings>;
}

export type KeychainSeam = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
>;

async function readSaved(
  file: string,
  keychain: KeychainSeam,
  log: Logger,
): Promise<Settings | undefined> {
  let sealed: Buffer;
  try {
    sealed = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    const { result } = await keychain.decryptStringAsync(sealed);
    const parsed = settingsSchema.safeParse(JSON.parse(result));
    if (parsed.success) return parsed.data;
    log.warn('saved settings invalid; using defaults');
  } catch {
    log.warn('saved settings unreadable; using defaults');
  }
  return undefined;
}

export async function openSettingsStore(options: {
  readonly file: string;
  readonly keychain: KeychainSeam;
  readonly log: Logger;
}): Promise<SettingsStore> {
  const { file, keychain, log } = options;
  const available = await keychain.isAsyncEncryptionAvailable();
  if (!available) log.warn('no OS keychain; settings kept for this session only');
  let settings: Settings = (available && (await readSaved(file, keychain, log))) || {
    ...DEFAULT_SETTINGS,
  };

  return {
    current: () => settings,
    async update(change) {
      const checked = settingsSchema.safeParse({ ...settings, ...change });
      if (!checked.success) {
        const field = checked.error.issues[0]?.path.map(String).join('.') ?? 'settings';
        throw new CofferError('invalid_input', `The setting ${field} is not valid.`);
      }
      const next = checked.data;
      if (available) {
        try {
          const sealed = await keychain.encryptStringAsync(JSON.stringify(next));
          await mkdir(dirname(file), { recursive: true });
          // Write then rename, so a crash leaves either the old or the new file, never half.
          const temporary = `${file}.tmp`;
          await writeFile(temporary, sealed, { mode: 0o600 });
          await rename(temporary, file);
        } catch (cause) {
          throw new CofferError('settings_unavailable', 'The settings could not be saved.', {
            cause,
          });
        }
      }
      settings = next;
      return settings;
    },
  };
}
