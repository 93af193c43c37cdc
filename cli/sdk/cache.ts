import { join } from 'node:path';
import {
  concatBytes,
  encodeAad,
  fromBase64Url,
  fromUtf8,
  hkdfSha256,
  importAeadKey,
  open,
  seal,
  utf8,
  type AeadKey,
} from '../../shared/crypto/index.ts';
import { CofferError } from '../../shared/errors.ts';
import type { DeviceProfile } from '../../shared/keys/device-profile.ts';
import {
  deviceVaultFolderSchema,
  deviceVaultGrantSchema,
  deviceVaultRecordSchema,
} from '../../shared/protocol/device-api.ts';
import { idField, keyVersionField } from '../../shared/protocol/fields.ts';
import { isCofferId } from '../../shared/protocol/ids.ts';
import { z } from 'zod';
import {
  ensurePrivateDir,
  readIfExists,
  removeIfExists,
  writeFileAtomic,
} from '../config/files.ts';
import type { VaultSnapshot } from './vault-view.ts';

/**
 * The encrypted offline cache (DESIGN.md "Offline cache", SECURITY-CASES LS-03): the last good
 * vault answer and the highest revision seen per record, sealed under a key derived from the app
 * key with HKDF. The timestamp sits in clear in the header (to report the age before opening)
 * and is bound into the associated data with the device and application ids, so moving the
 * clock back, swapping in another device's cache or flipping a byte fails as `cache_invalid`.
 * Only the magic, the format version and the timestamp are in clear.
 *
 *   file = "CFRC" ‖ 0x01 ‖ u64 savedAt (Unix seconds) ‖ sealed blob (shared/crypto)
 *   aad  = AAD("device-cache", [deviceId, appId, savedAt])
 */

export const DEFAULT_CACHE_MAX_AGE_SECONDS = 7 * 24 * 3600;
const MAGIC = utf8('CFRC');
const FORMAT = 1;
const HEADER = MAGIC.length + 1 + 8;
const HKDF_SALT = utf8('coffer/device-cache/v1');
/** A cache written more than this far in the future means the clock jumped or it was forged. */
const FUTURE_TOLERANCE_SECONDS = 300;

/** Highest revision seen per record id (shared/keys/rollback.ts checks the ids themselves). */
function isRevisionMap(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (revision) => typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 1,
  );
}

function isCarriedRecord(value: unknown): value is CarriedRecord {
  const record = value as Partial<CarriedRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    isCofferId(record.id) &&
    isCofferId(record.folderId)
  );
}

// Checks a zod object schema would make element by element, written as predicates: zod without
// its JIT (cli/zod-setup.ts) spent about 10 ms on 1,000 entries, on every call (issue #5).
const revisionsField = z.custom<Record<string, number>>(
  isRevisionMap,
  'must map record ids to revisions of at least 1',
);
const carriedRecordField = z.custom<CarriedRecord>(
  isCarriedRecord,
  'must have a Coffer id and folder id',
);

const payloadSchema = z.lazy(() =>
  z.strictObject({
    snapshot: z
      .strictObject({
        appId: idField,
        appKeyVersion: keyVersionField,
        grants: z.array(deviceVaultGrantSchema),
        folders: z.array(deviceVaultFolderSchema),
        records: z.array(deviceVaultRecordSchema),
      })
      .nullable(),
    revisions: revisionsField,
  }),
);

/**
 * What an online command reads of the cache (issue #5: validating 1,000 cached records took
 * about a third of a `coffer get`): the revision memory in full, and of the snapshot only what
 * merging a fresh answer into it looks at. Its records are carried into the next cache file
 * unread; they were validated when they entered the cache (from a validated server answer), the
 * file is authenticated, and whatever answers from the cache offline still goes through
 * `payloadSchema` in full. Grants and folders stay as they were stored, for comparing with a
 * fresh answer.
 */
const carriedPayloadSchema = z.lazy(() =>
  z.strictObject({
    snapshot: z
      .looseObject({
        appId: z.unknown(),
        appKeyVersion: keyVersionField,
        grants: z.unknown(),
        folders: z.unknown(),
        records: z.array(carriedRecordField),
      })
      .nullable(),
    revisions: revisionsField,
  }),
);

/** A cached record passed through unread: its id and folder checked, the rest kept as it was. */
export interface CarriedRecord {
  readonly id: string;
  readonly folderId: string;
}

export type CacheSnapshot = Omit<VaultSnapshot, 'records'> & {
  readonly records: readonly (VaultSnapshot['records'][number] | CarriedRecord)[];
};

export interface CachePayload {
  /** null when only the revision memory is kept (`--no-cache`). */
  readonly snapshot: CacheSnapshot | null;
  readonly revisions: Readonly<Record<string, number>>;
}

export interface CachedState {
  readonly snapshot: VaultSnapshot | null;
  readonly revisions: Readonly<Record<string, number>>;
  readonly savedAt: number;
}

/** The cache as an online command needs it: see `carriedPayloadSchema`. */
export interface CarriedState {
  readonly snapshot: {
    readonly appId: unknown;
    readonly appKeyVersion: number;
    /** As stored: compared with a fresh answer, never used as they are. */
    readonly grants: unknown;
    readonly folders: unknown;
    readonly records: readonly CarriedRecord[];
  } | null;
  readonly revisions: Readonly<Record<string, number>>;
  readonly savedAt: number;
}

async function cacheKey(profile: DeviceProfile): Promise<AeadKey> {
  const appKey = fromBase64Url(profile.appKey);
  try {
    const raw = await hkdfSha256(
      appKey,
      HKDF_SALT,
      `coffer/device-cache/v1/${profile.deviceId}`,
      32,
    );
    try {
      return await importAeadKey(raw);
    } finally {
      raw.fill(0);
    }
  } finally {
    appKey.fill(0);
  }
}

function aad(profile: DeviceProfile, savedAt: number): Uint8Array {
  return encodeAad('device-cache', [profile.deviceId, profile.appId, savedAt]);
}

function invalid(path: string, why: string, cause?: unknown): CofferError {
  return new CofferError(
    'cache_invalid',
    `The offline cache ${path} ${why}; it was not used. Delete it, and run the command again ` +
      'while the server is reachable to rebuild it.',
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The cache's place on disk cannot be used at all — a folder where the file should be, a file
 * where its folder should be, no permission — as opposed to a file whose content is bad. Unlike
 * damaged content it cannot be rebuilt by writing a new file, so an online command does not
 * carry on without it: the cache also holds the revision memory that detects rollbacks.
 */
export class CacheLocationError extends CofferError {
  constructor(path: string, error: unknown) {
    const code = String((error as { code?: unknown } | null)?.code ?? '');
    const why =
      code === 'EISDIR' || code === 'ERR_FS_EISDIR'
        ? 'is a folder, not a file'
        : code === 'ENOTDIR'
          ? 'is inside something that is not a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be opened: permission denied'
            : `cannot be used (${code || 'error'})`;
    super(
      'cache_invalid',
      `The offline cache ${path} ${why}. Move whatever is in its place away (or fix its ` +
        'permissions) and run the command again; Coffer does not remove it for you.',
      { cause: error },
    );
  }
}

/** A failed file operation on `path`, as a CacheLocationError when the file system refused it. */
function located(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$|^ERR_FS_/.test(code)
    ? new CacheLocationError(path, error)
    : error;
}

/** The cache file of one device, in `dir` (under the owner-only configuration folder). */
export class DeviceCache {
  readonly path: string;
  readonly #dir: string;
  readonly #profile: DeviceProfile;
  #keyPromise: Promise<AeadKey> | undefined;
  /** The plaintext the last `loadCarried` opened, for `saveUnchanged`. */
  #carried: Uint8Array | undefined;

  constructor(dir: string, profile: DeviceProfile) {
    this.#dir = dir;
    this.#profile = profile;
    this.path = join(dir, `${profile.deviceId}.cache`);
  }

  /** Derived once per run: a command that reads the cache also writes it back. */
  #key(): Promise<AeadKey> {
    this.#keyPromise ??= cacheKey(this.#profile);
    return this.#keyPromise;
  }

  async save(payload: CachePayload, savedAt: number): Promise<void> {
    await this.#write(utf8(JSON.stringify(payload)), savedAt);
  }

  /**
   * Writes again what the last `loadCarried` opened, under a new timestamp: for an answer that
   * changed nothing, it spares serialising the whole vault (a 1,000-record cache is ~680 KB).
   * The timestamp is still renewed, so the cache's age is that of the last good answer.
   */
  async saveUnchanged(savedAt: number): Promise<void> {
    const plain = this.#carried;
    if (plain === undefined) throw new Error('saveUnchanged needs a loadCarried first');
    await this.#write(plain, savedAt);
  }

  async #write(plain: Uint8Array, savedAt: number): Promise<void> {
    const key = await this.#key();
    const sealed = await seal(key, plain, aad(this.#profile, savedAt));
    const header = new Uint8Array(HEADER);
    header.set(MAGIC, 0);
    header[MAGIC.length] = FORMAT;
    new DataView(header.buffer).setBigUint64(MAGIC.length + 1, BigInt(savedAt));
    await ensurePrivateDir(this.#dir);
    try {
      await writeFileAtomic(this.path, concatBytes(header, sealed), undefined, false);
    } catch (error) {
      throw located(this.path, error);
    }
  }

  /** The cached state, undefined when there is none; `cache_invalid` when it does not open. */
  async load(nowSeconds: number): Promise<CachedState | undefined> {
    const opened = await this.#open(nowSeconds);
    if (opened === undefined) return undefined;
    return { ...this.#parse(payloadSchema, opened.json), savedAt: opened.savedAt };
  }

  /**
   * The state to merge a fresh answer into (records carried unread); see
   * `carriedPayloadSchema`.
   */
  async loadCarried(nowSeconds: number): Promise<CarriedState | undefined> {
    const opened = await this.#open(nowSeconds);
    if (opened === undefined) return undefined;
    const state = { ...this.#parse(carriedPayloadSchema, opened.json), savedAt: opened.savedAt };
    this.#carried = opened.plain;
    return state;
  }

  #parse<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
    try {
      return schema.parse(json);
    } catch (error) {
      throw invalid(this.path, 'holds content this version cannot read', error);
    }
  }

  /** Reads, authenticates and decrypts the file; its JSON is parsed but not yet validated. */
  async #open(
    nowSeconds: number,
  ): Promise<{ json: unknown; plain: Uint8Array; savedAt: number } | undefined> {
    let file: Buffer | undefined;
    try {
      file = await readIfExists(this.path);
    } catch (error) {
      throw located(this.path, error);
    }
    if (file === undefined) return undefined;
    const bytes = new Uint8Array(file.buffer, file.byteOffset, file.length);
    if (bytes.length <= HEADER || !MAGIC.every((byte, i) => bytes[i] === byte)) {
      throw invalid(this.path, 'is not a Coffer cache file');
    }
    if (bytes[MAGIC.length] !== FORMAT) throw invalid(this.path, 'has an unknown format');
    const savedAt = Number(
      new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(MAGIC.length + 1),
    );
    if (!Number.isSafeInteger(savedAt) || savedAt > nowSeconds + FUTURE_TOLERANCE_SECONDS) {
      throw invalid(this.path, 'claims to be written in the future (check the system clock)');
    }
    let plain: Uint8Array;
    try {
      plain = await open(await this.#key(), bytes.subarray(HEADER), aad(this.#profile, savedAt));
    } catch (error) {
      throw invalid(
        this.path,
        'failed its integrity check (altered, or copied from another device)',
        error,
      );
    }
    try {
      return { json: JSON.parse(fromUtf8(plain)), plain, savedAt };
    } catch (error) {
      throw invalid(this.path, 'holds content this version cannot read', error);
    }
  }

  /** Removes the cache (a `device_revoked` answer, `coffer profile remove`). */
  async wipe(): Promise<void> {
    try {
      await removeIfExists(this.path);
    } catch (error) {
      throw located(this.path, error);
    }
  }
}

/** "3 h 20 min", for the stale-cache warning. */
export function describeAge(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800)
    return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} days ${Math.round((seconds % 86_400) / 3600)} h`;
}
