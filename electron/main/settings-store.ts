import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { CofferError } from '../../shared/errors.ts';
import {
  DEFAULT_SETTINGS,
  settingsSealSchema,
  settingsSchema,
  type SettingsSeal,
  type Settings,
  type SettingsUpdate,
  type StoredSettingsRecord,
} from '../../shared/ipc/settings.ts';
import type { Logger } from './logger.ts';

/**
 * Settings persisted by main, encrypted through the OS keychain (`safeStorage`), with the seal
 * (MAC) the renderer made for them (LS-05). The keychain keeps other users out, not the user's
 * own processes, so the file can still be edited while the app is closed; main cannot check the
 * MAC (it never holds a vault key) and hands it back to the renderer, which checks it after
 * unlock and sends safe defaults back if it fails. This is the only thing main ever writes.
 * Where no keychain is available the settings live in memory for the session rather than in the
 * clear.
 */
export interface SettingsStore {
  current(): Settings;
  /** The settings, their seal, and whether the file read at start had to be refused. */
  stored(): StoredSettingsRecord;
  /**
   * Applies a change; `seal` goes with the resulting settings (null: unsigned); `damaged` keeps
   * the renderer's evidence of editing until its check after unlock has run.
   */
  update(
    change: SettingsUpdate,
    seal?: SettingsSeal | null,
    damaged?: boolean,
  ): Promise<StoredSettingsRecord>;
}

export type KeychainSeam = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
>;

const fileSchema = z.strictObject({
  settings: settingsSchema,
  seal: settingsSealSchema.nullable(),
  damaged: z.boolean(),
});

const fresh = (defaults: Settings): StoredSettingsRecord => ({
  settings: { ...defaults },
  seal: null,
  damaged: false,
});

async function readSaved(
  file: string,
  keychain: KeychainSeam,
  log: Logger,
  defaults: Settings,
): Promise<StoredSettingsRecord> {
  let sealed: Buffer;
  try {
    sealed = await readFile(file);
  } catch {
    return fresh(defaults);
  }
  // A file that is there but refused is reported as damaged, so the renderer warns after unlock
  // instead of taking the defaults for a first run.
  try {
    const { result } = await keychain.decryptStringAsync(sealed);
    const parsed = fileSchema.safeParse(JSON.parse(result));
    if (parsed.success) return parsed.data;
    log.warn('saved settings invalid; using defaults');
  } catch {
    log.warn('saved settings unreadable; using defaults');
  }
  return { ...fresh(defaults), damaged: true };
}

export async function openSettingsStore(options: {
  readonly file: string;
  readonly keychain: KeychainSeam;
  readonly log: Logger;
  /** What applies until settings are saved; the built-in defaults unless main knows better. */
  readonly defaults?: Settings;
}): Promise<SettingsStore> {
  const { file, keychain, log } = options;
  const defaults = options.defaults ?? DEFAULT_SETTINGS;
  const available = await keychain.isAsyncEncryptionAvailable();
  if (!available) log.warn('no OS keychain; settings kept for this session only');
  let record = available ? await readSaved(file, keychain, log, defaults) : fresh(defaults);

  return {
    current: () => record.settings,
    stored: () => record,
    async update(change, seal = null, damaged = false) {
      const checked = settingsSchema.safeParse({ ...record.settings, ...change });
      if (!checked.success) {
        const field = checked.error.issues[0]?.path.map(String).join('.') ?? 'settings';
        throw new CofferError('invalid_input', `The setting ${field} is not valid.`);
      }
      const next: StoredSettingsRecord = { settings: checked.data, seal, damaged };
      if (available) {
        try {
          const body = JSON.stringify(next);
          const sealed = await keychain.encryptStringAsync(body);
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
      record = next;
      return record;
    },
  };
}
