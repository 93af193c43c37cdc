import {
  fromBase64Url,
  importAeadKey,
  randomId,
  toBase64Url,
  utf8,
  type AeadKey,
} from '../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { DeviceProfile } from '../../shared/keys/device-profile.ts';
import { encryptRecord } from '../../shared/keys/records.ts';
import { RevisionTracker } from '../../shared/keys/rollback.ts';
import { parseReference, type CofferReference } from '../../shared/notation/index.ts';
import type {
  DeviceRecordWritten,
  DeviceStatusResponse,
  DeviceVaultQuery,
} from '../../shared/protocol/device-api.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { OtpCode } from '../../shared/records/totp/index.ts';
import {
  parseRecord,
  RECORD_SCHEMA_VERSION,
  type VaultRecord,
  type VaultRecordInput,
} from '../../shared/records/schema/index.ts';
import { DeviceApi } from './api.ts';
import {
  DEFAULT_CACHE_MAX_AGE_SECONDS,
  DeviceCache,
  describeAge,
  type CachePayload,
  type CacheSnapshot,
  type CachedState,
  type CarriedState,
} from './cache.ts';
import { readTarget, type ResolvedValue } from './fields.ts';
import { findRecord, folderByPath, subtree } from './lookup.ts';
import { otpCode } from './otp.ts';
import { parseTarget, type RecordTarget } from './target.ts';
import type { RetryOptions } from './retry.ts';
import { VaultView, type VaultItem, type VaultSnapshot } from './vault-view.ts';

export interface ClientConfig {
  /** The device's completed profile (private keys and app key: keep it owner-only). */
  readonly profile: DeviceProfile;
  /** Origin to call instead of the profile's (COFFER_SERVER). */
  readonly server?: string;
  /** Folder for the offline cache and revision memory; undefined keeps nothing on disk. */
  readonly cacheDir?: string;
  /** Use the offline cache when the server cannot be reached (default true). */
  readonly cache?: boolean;
  readonly cacheMaxAgeSeconds?: number;
  /** Local address to send from, e.g. "127.0.0.2". */
  readonly localAddress?: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /**
   * Called once the server has answered `device_revoked` (the offline cache is already wiped);
   * profiles record it so that `coffer profile list` can show the device as revoked.
   */
  readonly onRevoked?: () => Promise<void> | void;
  /** Where warnings go (offline answers, rollback resets); the CLI prints them on stderr. */
  readonly onWarning?: (message: string) => void;
  /** Clock in Unix milliseconds; tests move it. */
  readonly now?: () => number;
}

export interface RecordSummary {
  readonly id: string;
  readonly title: string;
  readonly type: VaultRecord['type'];
  readonly folderPath: readonly string[];
  readonly revision: number;
  readonly editable: boolean;
}

/** Where an answer came from: the server, or the offline cache written at `savedAt`. */
export interface Freshness {
  readonly offline: boolean;
  readonly savedAt: number;
}

export interface ClientStatus {
  readonly server: string;
  readonly device: DeviceStatusResponse;
  /** Age of the offline cache in seconds, undefined when there is none. */
  readonly cacheAgeSeconds: number | undefined;
  /**
   * Names of the granted folders by id, as far as this device knows them: folder names are
   * ciphertext on the server, so they come from the offline cache's last snapshot, decrypted
   * here. Empty before the first fetch, or with the cache off.
   */
  readonly folderNames: ReadonlyMap<string, string>;
}

export type RecordChanges = Readonly<Record<string, string | number | boolean>>;
export type RecordEdit = (record: VaultRecord) => VaultRecordInput | Promise<VaultRecordInput>;

export interface CofferClient {
  list(options?: { folder?: string }): Promise<RecordSummary[]>;
  get(target: string): Promise<VaultItem>;
  resolve(reference: string): Promise<string>;
  resolveMany(references: readonly string[]): Promise<ResolvedValue[]>;
  totp(target: string, atMs?: number): Promise<OtpCode>;
  /** `changes` may be a function of the current record (it may be async). */
  update(target: string, changes: RecordChanges | RecordEdit): Promise<DeviceRecordWritten>;
  create(folderPath: string, record: VaultRecordInput): Promise<DeviceRecordWritten>;
  status(): Promise<ClientStatus>;
  /** Where the last answer came from. */
  readonly freshness: Freshness | undefined;
}

/** The SDK (issue #5): fetch, decrypt and resolve what this device was granted. */
export function createClient(config: ClientConfig): CofferClient {
  return new Client(config);
}

class Client implements CofferClient {
  readonly #config: ClientConfig;
  readonly #api: DeviceApi;
  readonly #cache: DeviceCache | undefined;
  #appKey: Promise<AeadKey> | undefined;
  #freshness: Freshness | undefined;

  constructor(config: ClientConfig) {
    this.#config = config;
    this.#api = new DeviceApi({
      origin: config.server ?? config.profile.origin,
      transport: {
        ...(config.localAddress === undefined ? {} : { localAddress: config.localAddress }),
        ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      },
      ...(config.retry === undefined ? {} : { retry: config.retry }),
      nowSeconds: () => this.#nowSeconds(),
    });
    this.#cache =
      config.cacheDir === undefined ? undefined : new DeviceCache(config.cacheDir, config.profile);
  }

  get freshness(): Freshness | undefined {
    return this.#freshness;
  }

  #nowMs(): number {
    return this.#config.now?.() ?? Date.now();
  }

  #nowSeconds(): number {
    return Math.floor(this.#nowMs() / 1000);
  }

  #warn(message: string): void {
    this.#config.onWarning?.(message);
  }

  #key(): Promise<AeadKey> {
    // What shared/keys' importDeviceAppKey does, without loading the redemption modules on
    // every command (start-up cost).
    this.#appKey ??= (async () => {
      const raw = fromBase64Url(this.#config.profile.appKey);
      try {
        return await importAeadKey(raw);
      } finally {
        raw.fill(0);
      }
    })();
    return this.#appKey;
  }

  async #revoked(): Promise<void> {
    await this.#cache?.wipe();
    await this.#config.onRevoked?.();
  }

  get #cacheEnabled(): boolean {
    return this.#config.cache !== false && this.#cache !== undefined;
  }

  async #loadState(): Promise<CachedState | undefined> {
    if (this.#cache === undefined) return undefined;
    return this.#cache.load(this.#nowSeconds());
  }

  async #fetchSnapshot(query: DeviceVaultQuery): Promise<VaultSnapshot> {
    const profile = this.#config.profile;
    let answer = await this.#api.vault(profile, query);
    const records = [...answer.records];
    while (answer.nextCursor !== null) {
      answer = await this.#api.vault(profile, { ...query, cursor: answer.nextCursor });
      records.push(...answer.records);
    }
    return {
      appId: answer.appId,
      appKeyVersion: answer.appKeyVersion,
      grants: answer.grants,
      folders: answer.folders,
      records,
    };
  }

  /** Fresh from the server, or from the cache on the failures DESIGN.md allows. */
  async #view(query: DeviceVaultQuery = {}): Promise<VaultView> {
    // Read and open the cache while the request is on the wire (start-up cost, issue #5); its
    // outcome is only looked at once the server has answered.
    // The app key too: opening the answer needs it. A failure is reported where it is awaited.
    this.#key().catch(() => undefined);
    const cached = (
      this.#cache?.loadCarried(this.#nowSeconds()) ?? Promise.resolve(undefined)
    ).then(
      (state) => ({ state }),
      (error: unknown) => ({ error }),
    );
    let fresh: VaultSnapshot;
    try {
      fresh = await this.#fetchSnapshot(query);
    } catch (error) {
      await cached;
      if (isCofferError(error, 'device_revoked')) await this.#revoked();
      if (isCofferError(error, 'server_unreachable') && this.#cacheEnabled) {
        return this.#offlineView(error);
      }
      throw error;
    }
    let previous: CarriedState | undefined;
    try {
      const loaded = await cached;
      if ('error' in loaded) throw loaded.error;
      previous = loaded.state;
    } catch (error) {
      if (!isCofferError(error, 'cache_invalid')) throw error;
      this.#warn(`${error.message.replace(/ Delete it.*$/, '')} It is being rebuilt.`);
    }
    const snapshot = merge(previous?.snapshot ?? null, fresh, query);
    const tracker = new RevisionTracker(previous?.revisions);
    // The fresh answer holds every record asked for (merge only adds others, carried unread).
    const view = await VaultView.open(await this.#key(), fresh, tracker);
    this.#freshness = { offline: false, savedAt: this.#nowSeconds() };
    this.#afterUse = async () => {
      const next = {
        snapshot: this.#cacheEnabled ? snapshot : null,
        revisions: tracker.snapshot(),
      };
      const savedAt = this.#nowSeconds();
      if (previous !== undefined && sameState(previous, next)) {
        await this.#cache?.saveUnchanged(savedAt);
      } else {
        await this.#cache?.save(next, savedAt);
      }
    };
    return view;
  }

  /** Persists the cache and revision memory once the command has read what it needed. */
  #afterUse: (() => Promise<void>) | undefined;

  async #settle(): Promise<void> {
    const save = this.#afterUse;
    this.#afterUse = undefined;
    await save?.();
  }

  async #offlineView(cause: CofferError): Promise<VaultView> {
    const state = await this.#loadState();
    if (state?.snapshot == null) {
      throw new CofferError(
        'server_unreachable',
        `${cause.message} There is no offline cache for this device yet.`,
        { cause },
      );
    }
    const now = this.#nowSeconds();
    const age = now - state.savedAt;
    const maxAge = this.#config.cacheMaxAgeSeconds ?? DEFAULT_CACHE_MAX_AGE_SECONDS;
    if (age > maxAge) {
      throw new CofferError(
        'cache_expired',
        `${cause.message} The offline cache is ${describeAge(age)} old, older than its maximum ` +
          `age of ${describeAge(maxAge)}, so it was not used. Restore the connection to the server.`,
        { cause },
      );
    }
    this.#warn(
      `${cause.message} Using the offline cache from ${new Date(state.savedAt * 1000).toISOString()} ` +
        `(${describeAge(age)} old).`,
    );
    const tracker = new RevisionTracker(state.revisions);
    const view = await VaultView.open(await this.#key(), state.snapshot, tracker);
    this.#freshness = { offline: true, savedAt: state.savedAt };
    return view;
  }

  async #withView<T>(query: DeviceVaultQuery, work: (view: VaultView) => Promise<T>): Promise<T> {
    const view = await this.#view(query);
    try {
      return await work(view);
    } finally {
      await this.#settle();
    }
  }

  async list(options: { folder?: string } = {}): Promise<RecordSummary[]> {
    return this.#withView({}, async (view) => {
      let ids = view.recordIds();
      if (options.folder !== undefined) {
        const segments = options.folder.split('/').filter((part) => part !== '');
        ids = view.recordIds(subtree(view, folderByPath(view, segments)));
      }
      const items = await view.items(ids);
      return items
        .map((item) => ({
          id: item.id,
          title: item.record.title,
          type: item.record.type,
          folderPath: item.folderPath,
          revision: item.revision,
          editable: item.editable,
        }))
        .sort(
          (a, b) =>
            a.folderPath.join('/').localeCompare(b.folderPath.join('/')) ||
            a.title.localeCompare(b.title),
        );
    });
  }

  async get(target: string): Promise<VaultItem> {
    const parsed = parseTarget(target);
    return this.#withView(queryFor([parsed]), (view) => findRecord(view, parsed.record));
  }

  async resolve(reference: string): Promise<string> {
    const [value] = await this.resolveMany([reference]);
    return (value as ResolvedValue).value;
  }

  /** Resolves several references with one fetch (what `exec` and `inject` use). */
  async resolveMany(references: readonly string[]): Promise<ResolvedValue[]> {
    const parsed: CofferReference[] = references.map((reference) => parseReference(reference));
    if (parsed.length === 0) return [];
    const now = this.#nowMs();
    return this.#withView(queryFor(parsed), async (view) => {
      const out: ResolvedValue[] = [];
      for (const reference of parsed) {
        const item = await findRecord(view, reference.record);
        out.push(await readTarget(item.record, reference, now));
      }
      return out;
    });
  }

  async totp(target: string, atMs: number = this.#nowMs()): Promise<OtpCode> {
    const item = await this.get(target);
    const record = item.record;
    const stored =
      record.type === 'one-time-code' ? record.uri : record.type === 'login' ? record.otp : '';
    if (stored === '') {
      throw new CofferError(
        'not_found',
        `Record ${item.id} has no one-time code (it is a ${record.type} record without one).`,
      );
    }
    return otpCode(stored, atMs);
  }

  async #writable(view: VaultView, rootId: string, what: string) {
    if (this.#freshness?.offline) {
      throw new CofferError(
        'server_unreachable',
        `${what} needs the server, and it cannot be reached; nothing was changed.`,
      );
    }
    const mode = view.grantMode(rootId);
    const key = view.folderKey(rootId);
    if (mode !== 'editable' || key === undefined) {
      throw new CofferError(
        'read_only_grant',
        `${what} is refused: this application's grant of that folder is read-only. Ask a ` +
          'manager to make the grant editable.',
      );
    }
    return key;
  }

  async update(target: string, changes: RecordChanges | RecordEdit): Promise<DeviceRecordWritten> {
    const parsed = parseTarget(target);
    return this.#withView(queryFor([parsed]), async (view) => {
      const item = await findRecord(view, parsed.record);
      const { key, version } = await this.#writable(view, item.rootId, 'Changing a record');
      const next =
        typeof changes === 'function'
          ? await changes(structuredClone(item.record))
          : applyChanges(item.record, changes);
      const record = parseRecord({ ...next, schemaVersion: RECORD_SCHEMA_VERSION });
      const binding = {
        folderId: item.folderId,
        recordId: item.id,
        keyVersion: version,
        revision: item.revision + 1,
        schemaVersion: RECORD_SCHEMA_VERSION,
      };
      const ciphertext = await encryptRecord(key, binding, utf8(JSON.stringify(record)));
      try {
        return await this.#api.updateRecord(this.#config.profile, item.id, {
          protocol: PROTOCOL_VERSION,
          folderId: item.folderId,
          keyVersion: version,
          schemaVersion: RECORD_SCHEMA_VERSION,
          revision: binding.revision,
          ciphertext: toBase64Url(ciphertext),
        });
      } catch (error) {
        if (isCofferError(error, 'revision_conflict')) {
          throw new CofferError(
            'revision_conflict',
            `Record ${item.id} was changed by someone else after it was read (this device read ` +
              `revision ${item.revision}); nothing was overwritten. Run the command again to ` +
              'apply your change to the current version.',
            { cause: error },
          );
        }
        throw error;
      }
    });
  }

  async create(folderPath: string, input: VaultRecordInput): Promise<DeviceRecordWritten> {
    return this.#withView({}, async (view) => {
      const segments = folderPath.split('/').filter((part) => part !== '');
      const folder = folderByPath(view, segments);
      const { key, version } = await this.#writable(view, folder.rootId, 'Creating a record');
      const record = parseRecord({ ...input, schemaVersion: RECORD_SCHEMA_VERSION });
      const id = randomId();
      const binding = {
        folderId: folder.id,
        recordId: id,
        keyVersion: version,
        revision: 1,
        schemaVersion: RECORD_SCHEMA_VERSION,
      };
      const ciphertext = await encryptRecord(key, binding, utf8(JSON.stringify(record)));
      return this.#api.createRecord(this.#config.profile, {
        protocol: PROTOCOL_VERSION,
        id,
        folderId: folder.id,
        keyVersion: version,
        schemaVersion: RECORD_SCHEMA_VERSION,
        revision: 1,
        ciphertext: toBase64Url(ciphertext),
      });
    });
  }

  async status(): Promise<ClientStatus> {
    let cacheAgeSeconds: number | undefined;
    let snapshot: VaultSnapshot | null | undefined;
    try {
      const state = await this.#loadState();
      snapshot = state?.snapshot;
      if (state?.snapshot != null) cacheAgeSeconds = this.#nowSeconds() - state.savedAt;
    } catch (error) {
      if (!isCofferError(error, 'cache_invalid')) throw error;
      this.#warn(error.message);
    }
    let device: DeviceStatusResponse;
    try {
      device = await this.#api.status(this.#config.profile);
    } catch (error) {
      if (isCofferError(error, 'device_revoked')) await this.#revoked();
      throw error;
    }
    const skew = device.serverTime - this.#nowSeconds();
    if (Math.abs(skew) > 120) {
      this.#warn(
        `This machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the ` +
          'server; requests are refused beyond 300 s. Synchronise the clock (NTP).',
      );
    }
    return {
      server: this.#config.server ?? this.#config.profile.origin,
      device,
      cacheAgeSeconds,
      folderNames: await this.#folderNames(snapshot),
    };
  }

  async #folderNames(snapshot: VaultSnapshot | null | undefined): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (snapshot == null) return names;
    try {
      // No record is opened, so the revision memory is neither read nor changed.
      const view = await VaultView.open(await this.#key(), snapshot, new RevisionTracker());
      for (const folder of view.folders()) names.set(folder.id, folder.name);
    } catch (error) {
      // A snapshot sealed under an older key (a re-grant since): status shows ids instead, and
      // the next fetch replaces the snapshot. Anything else is a real failure.
      if (!isCofferError(error)) throw error;
    }
    return names;
  }
}

/** Records by id can be fetched alone; a path needs the titles of the whole vault. */
function queryFor(targets: readonly RecordTarget[]): DeviceVaultQuery {
  const ids = new Set<string>();
  for (const target of targets) {
    if (target.record.kind !== 'id') return {};
    ids.add(target.record.id);
  }
  return ids.size > 0 && ids.size <= 256 ? { ids: [...ids] } : {};
}

/**
 * A filtered answer updates the records it covers and keeps the rest of the previous cached
 * snapshot; folders and grants always come whole, and records outside them are dropped.
 */
function merge(
  previous: CarriedState['snapshot'],
  fresh: VaultSnapshot,
  query: DeviceVaultQuery,
): CacheSnapshot {
  if (
    query.ids === undefined ||
    previous === null ||
    previous.appKeyVersion !== fresh.appKeyVersion
  ) {
    return fresh;
  }
  const asked = new Set(query.ids);
  const folders = new Set(fresh.folders.map((folder) => folder.id));
  const records = new Map<string, CacheSnapshot['records'][number]>(
    previous.records
      .filter((record) => !asked.has(record.id) && folders.has(record.folderId))
      .map((record) => [record.id, record]),
  );
  for (const record of fresh.records) records.set(record.id, record);
  return { ...fresh, records: [...records.values()] };
}

/**
 * Whether the cache would hold what it already holds: then only its timestamp is renewed
 * (DeviceCache.saveUnchanged) instead of serialising the whole vault again. Record order does
 * not count (merge moves fresh records last; lookups go by id, folder and title).
 */
function sameState(previous: CarriedState, next: CachePayload): boolean {
  return (
    sameRevisions(previous.revisions, next.revisions) &&
    (previous.snapshot === null || next.snapshot === null
      ? previous.snapshot === next.snapshot
      : sameSnapshot(previous.snapshot, next.snapshot))
  );
}

function sameRevisions(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): boolean {
  const ids = Object.keys(a);
  return ids.length === Object.keys(b).length && ids.every((id) => b[id] === a[id]);
}

/**
 * Stored grants, folders and records are compared in their JSON form: they were written from a
 * validated answer, whose members zod puts in schema order, so equal content is equal text.
 */
function sameSnapshot(
  previous: NonNullable<CarriedState['snapshot']>,
  next: CacheSnapshot,
): boolean {
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  if (previous.appId !== next.appId || previous.appKeyVersion !== next.appKeyVersion) return false;
  if (!same(previous.grants, next.grants) || !same(previous.folders, next.folders)) return false;
  if (previous.records.length !== next.records.length) return false;
  const before = new Map<string, unknown>(previous.records.map((record) => [record.id, record]));
  // Each previous record matches once: a repeated id cannot stand in for a missing record.
  return next.records.every((record) => {
    const old = before.get(record.id);
    before.delete(record.id);
    return same(old, record);
  });
}

/** `field=value` changes onto a record: typed fields first, then custom fields by name. */
export function applyChanges(record: VaultRecord, changes: RecordChanges): VaultRecordInput {
  const next = structuredClone(record) as Record<string, unknown> & VaultRecord;
  for (const [name, value] of Object.entries(changes)) {
    if (['type', 'schemaVersion', 'customFields'].includes(name)) {
      throw new CofferError('cli_usage', `Field "${name}" cannot be set this way.`);
    }
    if (Object.hasOwn(next, name) || name === 'port') {
      const current = next[name];
      next[name] = Array.isArray(current)
        ? [String(value)]
        : typeof current === 'boolean'
          ? toBoolean(name, value)
          : name === 'port'
            ? toPort(value)
            : String(value);
      continue;
    }
    const custom = next.customFields.filter((field) => field.name === name);
    if (custom.length === 1) {
      const field = custom[0] as (typeof custom)[number];
      (field as { value: unknown }).value =
        field.kind === 'boolean' ? toBoolean(name, value) : String(value);
      continue;
    }
    throw new CofferError(
      custom.length > 1 ? 'reference_ambiguous' : 'not_found',
      custom.length > 1
        ? `This record has ${custom.length} custom fields called "${name}"; change it in the app.`
        : `A ${record.type} record has no field or custom field "${name}".`,
    );
  }
  return next as VaultRecordInput;
}

function toBoolean(name: string, value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new CofferError('cli_usage', `Field "${name}" takes true or false.`);
}

function toPort(value: string | number | boolean): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CofferError('cli_usage', 'Field "port" takes a number from 1 to 65535.');
  }
  return port;
}
