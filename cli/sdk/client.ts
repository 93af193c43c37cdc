import { fromBase64Url, importAeadKey, type AeadKey } from '../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import { RevisionTracker } from '../../shared/keys/rollback.ts';
import type { CofferReference } from '../../shared/notation/index.ts';
import type {
  DeviceRecordWritten,
  DeviceStatusResponse,
  DeviceVaultQuery,
} from '../../shared/protocol/device-api.ts';
import type { OtpCode } from '../../shared/records/totp/index.ts';
import type { VaultRecordInput } from '../../shared/records/schema/index.ts';
import { DeviceApi } from './api.ts';
import { DEFAULT_CACHE_MAX_AGE_SECONDS, DeviceCache, type CachedState } from './cache.ts';
import { readTarget, type ResolvedValue } from './fields.ts';
import { findRecord, folderByPath, subtree } from './lookup.ts';
import {
  cachedFolderNames,
  carriedOrRebuilt,
  openOffline,
  readCarried,
  saveState,
} from './offline.ts';
import { otpCode } from './otp.ts';
import { merge, queryFor } from './snapshot.ts';
import { parseDeviceReference, parseTarget } from './target.ts';
import type {
  ClientConfig,
  ClientStatus,
  CofferClient,
  Freshness,
  LocalStatus,
  RecordChanges,
  RecordEdit,
  RecordSummary,
} from './types.ts';
import { VaultView, type VaultItem, type VaultSnapshot } from './vault-view.ts';
import { createRecord, updateRecord, type Writer } from './writes.ts';

// Re-exported: the CLI and scripts import the SDK's types and applyChanges from this module.
export { applyChanges } from './changes.ts';
export type {
  ClientConfig,
  ClientStatus,
  CofferClient,
  Freshness,
  LocalStatus,
  RecordChanges,
  RecordEdit,
  RecordSummary,
} from './types.ts';

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
    try {
      await this.#cache?.wipe();
    } catch (error) {
      // The revocation is what the command reports; a cache that cannot be removed is said too.
      if (!isCofferError(error)) throw error;
      this.#warn(error.message);
    }
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
    const cached = readCarried(this.#cache, () => this.#nowSeconds());
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
    const previous = await carriedOrRebuilt(cached, (message) => this.#warn(message));
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
      await saveState(this.#cache, previous, next, this.#nowSeconds());
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
    const { view, savedAt } = await openOffline(state, {
      cause,
      maxAgeSeconds: this.#config.cacheMaxAgeSeconds,
      nowSeconds: () => this.#nowSeconds(),
      key: () => this.#key(),
      warn: (message) => this.#warn(message),
    });
    this.#freshness = { offline: true, savedAt };
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
    const parsed: CofferReference[] = references.map((reference) =>
      parseDeviceReference(reference),
    );
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

  /** Read when the write runs: the view it writes through may have come from the cache. */
  #writer(): Writer {
    return {
      api: this.#api,
      profile: this.#config.profile,
      offline: this.#freshness?.offline === true,
    };
  }

  async update(target: string, changes: RecordChanges | RecordEdit): Promise<DeviceRecordWritten> {
    const parsed = parseTarget(target);
    return this.#withView(queryFor([parsed]), async (view) => {
      const item = await findRecord(view, parsed.record);
      return updateRecord(this.#writer(), view, item, changes);
    });
  }

  async create(folderPath: string, input: VaultRecordInput): Promise<DeviceRecordWritten> {
    return this.#withView({}, (view) => createRecord(this.#writer(), view, folderPath, input));
  }

  async status(): Promise<ClientStatus> {
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
      ...(await this.localStatus()),
      server: this.#config.server ?? this.#config.profile.origin,
      device,
    };
  }

  async localStatus(): Promise<LocalStatus> {
    let state: CachedState | undefined;
    try {
      state = await this.#loadState();
    } catch (error) {
      if (!isCofferError(error, 'cache_invalid')) throw error;
      // A status is how one finds out the cache is damaged: say so, and show the rest.
      this.#warn(error.message);
    }
    const snapshot = state?.snapshot ?? null;
    const cacheAgeSeconds =
      state === undefined || snapshot === null ? undefined : this.#nowSeconds() - state.savedAt;
    const cacheMaxAgeSeconds = this.#config.cacheMaxAgeSeconds ?? DEFAULT_CACHE_MAX_AGE_SECONDS;
    return {
      cacheAgeSeconds,
      cacheMaxAgeSeconds,
      // The same test as openOffline's.
      cacheUsable:
        this.#cacheEnabled &&
        cacheAgeSeconds !== undefined &&
        cacheAgeSeconds <= cacheMaxAgeSeconds,
      cachedGrants: snapshot?.grants.map(({ folderId, mode }) => ({ folderId, mode })),
      folderNames: await cachedFolderNames(snapshot, () => this.#key()),
    };
  }
}
