import type { DeviceVaultResponse } from '../../shared/protocol/device-api.ts';
import type { Queryable } from '../db/types.ts';
import type { AccessRevision, AuthenticatedDevice } from './admission.ts';
import { deviceVault } from './vault.ts';
import type { VaultQuery } from './vault.ts';

/** An answer already serialised to UTF-8 JSON, sent as it is; never modified once made. */
export class SerializedJson {
  readonly bytes: Buffer;
  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
}

interface Entry {
  /** Where the application stood when the answer was read. */
  appKeyVersion: number;
  revision: AccessRevision;
  count: number;
  /** The JSON before and after the server time, the one member that changes every second. */
  head: Buffer;
  tail: Buffer;
  /** The whole answer for one second: requests within that second share its bytes. */
  last?: { serverTime: number; body: SerializedJson };
}

/** What a fetch answers: the bytes to send, and how many records they hold (audited). */
export interface VaultAnswer {
  body: SerializedJson;
  count: number;
}

/**
 * Bytes kept across all entries (each holds its parts and one whole answer); an answer larger
 * than a quarter of this is not kept.
 */
const MAX_CACHED_BYTES = 32 * 1024 * 1024;

/**
 * Device fetch answers, read and serialised once per (application, query) and kept while nothing
 * they are made of has changed. An entry is used only once its stamp equals numbers read in the
 * request's own transaction (admission-batch.ts, or `coffer_admit_cached` on PostgreSQL): the
 * vault's revision, which triggers move with every statement that writes folders or records, the
 * application's grant revision, which triggers move with every grant change (migration-4.ts),
 * and the application's key version. An answer is read after the numbers it is stamped with, so
 * it is never older than its stamp; once any of the three moves, by whatever path, the next fetch
 * reads afresh. Whether the device may fetch at all (revoked, disabled, expired, IP rule) is
 * decided for every request, never kept.
 */
export class VaultAnswers {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  /** The answer as of `revision`, read in `tx` unless the kept one was read at it. */
  async answer(
    tx: Queryable,
    device: AuthenticatedDevice,
    query: VaultQuery,
    revision: AccessRevision,
    now: number,
  ): Promise<VaultAnswer> {
    const key = keyOf(device.appId, query);
    let entry = this.#entries.get(key);
    if (
      entry?.appKeyVersion !== device.appKeyVersion ||
      entry.revision.accessRevision !== revision.accessRevision ||
      entry.revision.vaultRevision !== revision.vaultRevision
    ) {
      const vault = await deviceVault(tx, device, query, now);
      entry = { appKeyVersion: device.appKeyVersion, revision, ...serialise(vault) };
      this.#keep(key, entry);
    }
    return answerOf(entry, now);
  }

  /** The kept answer, with the stamp it stands on only while the database still agrees. */
  peek(
    appId: string,
    query: VaultQuery,
    now: number,
  ): { appKeyVersion: number; revision: AccessRevision; answer: VaultAnswer } | undefined {
    const entry = this.#entries.get(keyOf(appId, query));
    if (!entry) return undefined;
    const { appKeyVersion, revision } = entry;
    return { appKeyVersion, revision, answer: answerOf(entry, now) };
  }

  #keep(key: string, entry: Entry): void {
    this.#drop(key);
    const size = 2 * (entry.head.length + entry.tail.length);
    if (size > MAX_CACHED_BYTES / 4) return;
    // Oldest first: a Map iterates in insertion order.
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes + size <= MAX_CACHED_BYTES) break;
      this.#drop(oldest);
    }
    this.#entries.set(key, entry);
    this.#bytes += size;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= 2 * (entry.head.length + entry.tail.length);
    this.#entries.delete(key);
  }
}

const keyOf = (appId: string, query: VaultQuery) => `${appId} ${JSON.stringify(query)}`;

function answerOf(entry: Entry, now: number): VaultAnswer {
  const serverTime = Math.floor(now / 1000);
  if (entry.last?.serverTime !== serverTime) {
    const time = Buffer.from(String(serverTime), 'latin1');
    const body = new SerializedJson(Buffer.concat([entry.head, time, entry.tail]));
    entry.last = { serverTime, body };
  }
  return { body: entry.last.body, count: entry.count };
}

/** The members in the order JSON.stringify of the whole answer writes them. */
function serialise(vault: DeviceVaultResponse): Pick<Entry, 'head' | 'tail' | 'count'> {
  const { protocol, appId, appKeyVersion, grants, folders, records, nextCursor } = vault;
  const head = JSON.stringify({ protocol, appId, appKeyVersion }).slice(0, -1);
  const tail = JSON.stringify({ grants, folders, records, nextCursor }).slice(1);
  return {
    head: Buffer.from(`${head},"serverTime":`, 'utf8'),
    tail: Buffer.from(`,${tail}`, 'utf8'),
    count: records.length,
  };
}
