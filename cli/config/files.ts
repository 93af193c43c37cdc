import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { randomId } from '../../shared/crypto/index.ts';
import { CofferError } from '../../shared/errors.ts';

/**
 * Owner-only files for the device's credentials, cache and rendered templates: folders 0700,
 * files 0600, written atomically (a temporary file in the same folder, then a rename) so a
 * crash leaves the old file or the new one, never half of one, and never a moment in which the
 * content is readable by others.
 */

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

// The callback API, promisified, rather than node:fs/promises: that module loads about ten more
// of Node's own (readline, watchers, directory streams), ~1 ms of every command's start-up that
// these few calls do not need (issue #5).
const chmod = promisify(fs.chmod);
const close = promisify(fs.close);
const fchmod = promisify(fs.fchmod);
const fsync = promisify(fs.fsync);
const mkdir = promisify(fs.mkdir);
const open = promisify(fs.open);
const readFile = promisify(fs.readFile);
const rename = promisify(fs.rename);
const rm = promisify(fs.rm);
const writeFile = promisify(fs.writeFile);
export const lstat = promisify(fs.lstat);
export const readdir = promisify(fs.readdir);

/** Creates `dir` (and parents) owner-only; tightens an existing folder that is not. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const notAFolder = (cause?: unknown) =>
    new CofferError('cli_usage', `${dir} exists but is not a folder; move it away.`, { cause });
  try {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    // mkdir's answers when a file has the folder's name, or a name on the way to it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw notAFolder(error);
    if (code === 'ENOTDIR') {
      throw new CofferError(
        'cli_usage',
        `${dir} cannot be created: a file stands where one of the folders above it should be.`,
        { cause: error },
      );
    }
    throw error;
  }
  const info = await lstat(dir);
  if (!info.isDirectory()) throw notAFolder();
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(dir, DIR_MODE);
}

/**
 * Writes `data` to `path` atomically with `mode` (0600 unless said otherwise). `durable` adds an
 * fsync before the rename: profiles need it (losing one loses the device), the offline cache
 * does not (a cache lost in a power cut is only rebuilt) and skips its cost on every call.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  mode: number = FILE_MODE,
  durable = true,
): Promise<void> {
  // WebCrypto's generator (shared/crypto): node:crypto would load ~10 more modules (issue #5).
  const temporary = join(dirname(path), `.${randomId()}.tmp`);
  // "wx": never follow or reuse something already at the temporary name.
  const fd = await open(temporary, 'wx', mode);
  try {
    await writeFile(fd, data);
    await fchmod(fd, mode);
    if (durable) await fsync(fd);
  } catch (error) {
    await close(fd);
    await rm(temporary, { force: true });
    throw error;
  }
  await close(fd);
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function removeIfExists(path: string): Promise<void> {
  await rm(path, { force: true });
}
