import type { AeadKey } from '../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import { RevisionTracker } from '../../shared/keys/rollback.ts';
import {
  CacheLocationError,
  DEFAULT_CACHE_MAX_AGE_SECONDS,
  describeAge,
  type CachePayload,
  type CachedState,
  type CarriedState,
  type DeviceCache,
} from './cache.ts';
import { sameState } from './snapshot.ts';
import { VaultView, type VaultSnapshot } from './vault-view.ts';

/**
 * The client's side of the offline cache (DESIGN.md "Offline cache"): reading it beside a
 * request, falling back to it when the server cannot be reached, and saving it after use.
 */

/** A cache read started early; its failure is held until the server has answered. */
export type PendingCarried = Promise<{ state: CarriedState | undefined } | { error: unknown }>;

export function readCarried(
  cache: DeviceCache | undefined,
  nowSeconds: () => number,
): PendingCarried {
  return (cache?.loadCarried(nowSeconds()) ?? Promise.resolve(undefined)).then(
    (state) => ({ state }),
    (error: unknown) => ({ error }),
  );
}

/** The state to merge into; an unreadable cache is warned about and rebuilt from scratch. */
export async function carriedOrRebuilt(
  pending: PendingCarried,
  warn: (message: string) => void,
): Promise<CarriedState | undefined> {
  try {
    const loaded = await pending;
    if ('error' in loaded) throw loaded.error;
    return loaded.state;
  } catch (error) {
    if (!isCofferError(error, 'cache_invalid') || error instanceof CacheLocationError) {
      throw error;
    }
    warn(`${error.message.replace(/ Delete it.*$/, '')} It is being rebuilt.`);
    return undefined;
  }
}

export async function saveState(
  cache: DeviceCache | undefined,
  previous: CarriedState | undefined,
  next: CachePayload,
  savedAt: number,
): Promise<void> {
  if (previous !== undefined && sameState(previous, next)) {
    await cache?.saveUnchanged(savedAt);
  } else {
    await cache?.save(next, savedAt);
  }
}

export interface OfflineOptions {
  readonly cause: CofferError;
  readonly maxAgeSeconds: number | undefined;
  readonly nowSeconds: () => number;
  readonly key: () => Promise<AeadKey>;
  readonly warn: (message: string) => void;
}

/** The cached snapshot when it is young enough; else why the command cannot go on offline. */
export async function openOffline(
  state: CachedState | undefined,
  options: OfflineOptions,
): Promise<{ view: VaultView; savedAt: number }> {
  const { cause } = options;
  if (state?.snapshot == null) {
    throw new CofferError(
      'server_unreachable',
      `${cause.message} There is no offline cache for this device yet.`,
      { cause },
    );
  }
  const now = options.nowSeconds();
  const age = now - state.savedAt;
  const maxAge = options.maxAgeSeconds ?? DEFAULT_CACHE_MAX_AGE_SECONDS;
  if (age > maxAge) {
    throw new CofferError(
      'cache_expired',
      `${cause.message} The offline cache is ${describeAge(age)} old, older than its maximum ` +
        `age of ${describeAge(maxAge)}, so it was not used. Restore the connection to the server.`,
      { cause },
    );
  }
  options.warn(
    `${cause.message} Using the offline cache from ` +
      `${new Date(state.savedAt * 1000).toISOString()} ` +
      `(${describeAge(age)} old).`,
  );
  const tracker = new RevisionTracker(state.revisions);
  const view = await VaultView.open(await options.key(), state.snapshot, tracker);
  return { view, savedAt: state.savedAt };
}

/** Folder names from the cached snapshot (they are ciphertext on the server). */
export async function cachedFolderNames(
  snapshot: VaultSnapshot | null | undefined,
  key: () => Promise<AeadKey>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (snapshot == null) return names;
  try {
    // No record is opened, so the revision memory is neither read nor changed.
    const view = await VaultView.open(await key(), snapshot, new RevisionTracker());
    for (const folder of view.folders()) names.set(folder.id, folder.name);
  } catch (error) {
    // A snapshot sealed under an older key (a re-grant since): status shows ids instead, and
    // the next fetch replaces the snapshot. Anything else is a real failure.
    if (!isCofferError(error)) throw error;
  }
  return names;
}
