import { REQUEST_TIMESTAMP_WINDOW_SECONDS } from '../../shared/protocol/signed-request.ts';
import type { AuditFields } from '../audit/chain.ts';
import type { Database, Dialect, Queryable } from '../db/types.ts';

/**
 * A nonce is kept for twice the timestamp window: a request is fresh for at most the window on
 * either side of the server clock, so by the time its nonce is swept a replay would be stale.
 */
export const NONCE_KEEP_MS = 2 * REQUEST_TIMESTAMP_WINDOW_SECONDS * 1000;

/**
 * When a spent nonce may be forgotten: its request's signed time (Unix seconds) plus the keep,
 * well after the timestamp window refuses any replay of it as stale. Derived from the signed
 * time, which a replay carries unchanged, rather than from the clock of whichever replica saw it,
 * so on SQLite a replay meets the very row its original wrote (migration-5.ts).
 */
export const nonceExpiry = (signedAtSeconds: number) => signedAtSeconds * 1000 + NONCE_KEEP_MS;

/** Every rate-limit window of this server is a minute; older windows are swept. */
export const LIMIT_WINDOW_MS = 60_000;

/** A device and its application as a signed request's checks need them, read fresh. */
export interface DeviceState extends Record<string, unknown> {
  id: string;
  app_id: string;
  name: string;
  access_expiry: number | null;
  ip_rule: string;
  bound_address: string | null;
  revoked_at: number | null;
  last_access_at: number | null;
  last_address: string | null;
  app_name: string;
  app_key_version: number;
  disabled: number;
  deleted: number;
  /** Moves with every change of the application's grants (migration-4.ts). */
  access_revision: number;
}

export interface NonceRow {
  deviceId: string;
  nonce: string;
  expiresAt: number;
}

export interface HitRow {
  bucket: string;
  windowStart: number;
  hits: number;
}

export const nonceKey = (deviceId: string, nonce: string) => `${deviceId} ${nonce}`;
export const hitKey = (bucket: string, windowStart: number) => `${bucket} ${windowStart}`;

/**
 * The writes and reads of a batch of signed requests, each for the whole batch at once. On
 * PostgreSQL every method is one statement (rows travel as one JSON parameter), so a batch costs
 * the same few round trips whatever its size; on SQLite a statement costs no round trip, so each
 * row is its own cached statement.
 *
 * Rows arrive sorted by key, in byte order (JavaScript's string comparison; `coffer_admit_cached`
 * sorts with COLLATE "C" alike). Two replicas' batches then lock shared rows (a nonce sent to
 * both, a device's or an address's counter) in the same order and cannot deadlock.
 */
export interface AdmissionStore {
  /** Inserts the nonces; answers the keys (`nonceKey`) of those not seen before. */
  consumeNonces(tx: Queryable, rows: readonly NonceRow[], now: number): Promise<Set<string>>;
  /** The devices' current state, and the vault's revision in the same snapshot. */
  states(
    tx: Queryable,
    deviceIds: readonly string[],
  ): Promise<{ devices: Map<string, DeviceState>; vaultRevision: number }>;
  /** Adds the hits; answers each counter's total after them, by `hitKey`. */
  countHits(tx: Queryable, rows: readonly HitRow[]): Promise<Map<string, number>>;
  /** Records each device's last access and address. */
  touch(
    tx: Queryable,
    rows: readonly { deviceId: string; at: number; address: string }[],
  ): Promise<void>;
  /** Sweeps nonces past their keep and counters of windows well past. */
  purge(tx: Queryable, now: number): Promise<void>;
  /**
   * PostgreSQL only: admits requests with cached answers in one call of `coffer_admit_cached`
   * (migration-4.ts). Answers each request's outcome in order: `ok`, `stale` (nothing written;
   * read afresh), `rate_limited`, or the refusal's code.
   */
  admitCached?(
    db: Database,
    units: readonly CachedUnit[],
    limits: { address: number; device: number; touchAfterMs: number },
  ): Promise<string[]>;
}

type EventFields = Omit<AuditFields, 'seq' | 'prev_hash'>;

/** One request as `coffer_admit_cached` takes it (snake case: read by json_to_recordset). */
export interface CachedUnit {
  /** 1-based position in the batch: requests are counted and audited in this order. */
  i: number;
  device_id: string;
  nonce: string;
  nonce_expires_at: number;
  /** The request's time (its last access). */
  at: number;
  ip: string;
  window_start: number;
  /** Null when the per-address budget was spent before routing. */
  address_bucket: string | null;
  device_bucket: string;
  /** Where the device's application stood when the cached answer was read. */
  key_version: number;
  access_revision: number;
  vault_revision: number;
  /** What the device was bound with, as the late refusal below was decided on. */
  access_expiry: number | null;
  ip_rule: string;
  bound_address: string;
  /** `device_expired` or `ip_not_allowed`, decided here, with its audit row. */
  late_reason: string | null;
  late_event: EventFields | null;
  /** The refusal's audit row, its reason filled in by the function. */
  refusal_event: EventFields;
  success_event: EventFields | null;
}

const STATE_COLUMNS = `d.id, d.app_id, d.name, d.access_expiry, d.ip_rule, d.bound_address,
  d.revoked_at, d.last_access_at, d.last_address, a.name AS app_name,
  a.key_version AS app_key_version, a.disabled, a.deleted, a.access_revision`;
const VAULT_REVISION = "SELECT value FROM counters WHERE name = 'vault_revision'";
const INSERT_NONCE = `INSERT INTO device_nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)
  ON CONFLICT (expires_at, device_id, nonce) DO NOTHING`;
const LEGACY_NONCE = `SELECT 1 AS spent FROM device_nonces_legacy
  WHERE device_id = ? AND nonce = ? AND expires_at >= ?`;
const UPSERT_HITS = `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, ?)
  ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + excluded.hits
  RETURNING hits`;
const TOUCH = 'UPDATE devices SET last_access_at = ?, last_address = ? WHERE id = ?';

async function purge(tx: Queryable, now: number): Promise<void> {
  await tx.run('DELETE FROM device_nonces WHERE expires_at < ?', [now]);
  await tx.run('DELETE FROM rate_limits WHERE window_start < ?', [now - 2 * LIMIT_WINDOW_MS]);
}

/**
 * Nonces spent before migration 5 live on in `device_nonces_legacy` until they expire; no row is
 * ever added there, so once a database's legacy table is found empty it is never read again.
 */
const legacyEmpty = new WeakSet<Queryable>();

/** Whether `device_nonces_legacy` still holds live nonces; sweeps the expired ones. */
async function legacyNoncesLive(tx: Queryable, now: number): Promise<boolean> {
  if (legacyEmpty.has(tx)) return false;
  await tx.run('DELETE FROM device_nonces_legacy WHERE expires_at < ?', [now]);
  if (await tx.get('SELECT 1 AS live FROM device_nonces_legacy LIMIT 1')) return true;
  legacyEmpty.add(tx);
  return false;
}

const sqliteStore: AdmissionStore = {
  async consumeNonces(tx, rows, now) {
    const fresh = new Set<string>();
    const legacy = await legacyNoncesLive(tx, now);
    for (const row of rows) {
      if (legacy && (await tx.get(LEGACY_NONCE, [row.deviceId, row.nonce, now]))) continue;
      if ((await tx.run(INSERT_NONCE, [row.deviceId, row.nonce, row.expiresAt])) === 1) {
        fresh.add(nonceKey(row.deviceId, row.nonce));
      }
    }
    return fresh;
  },
  async states(tx, deviceIds) {
    const devices = new Map<string, DeviceState>();
    for (const id of deviceIds) {
      const row = await tx.get<DeviceState>(
        `SELECT ${STATE_COLUMNS} FROM devices d JOIN applications a ON a.id = d.app_id
         WHERE d.id = ?`,
        [id],
      );
      if (row) devices.set(id, row);
    }
    const seq = await tx.get<{ value: number }>(VAULT_REVISION);
    return { devices, vaultRevision: seq?.value ?? 0 };
  },
  async countHits(tx, rows) {
    const totals = new Map<string, number>();
    for (const row of rows) {
      const after = await tx.get<{ hits: number }>(UPSERT_HITS, [
        row.bucket,
        row.windowStart,
        row.hits,
      ]);
      totals.set(hitKey(row.bucket, row.windowStart), after?.hits ?? row.hits);
    }
    return totals;
  },
  async touch(tx, rows) {
    for (const row of rows) await tx.run(TOUCH, [row.at, row.address, row.deviceId]);
  },
  purge,
};

const postgresStore: AdmissionStore = {
  async consumeNonces(tx, rows) {
    const inserted = await tx.all<{ device_id: string; nonce: string }>(
      `INSERT INTO device_nonces (device_id, nonce, expires_at)
       SELECT x.device_id, x.nonce, x.expires_at
       FROM json_to_recordset(?::json) AS x(device_id TEXT, nonce TEXT, expires_at BIGINT)
       ON CONFLICT (device_id, nonce) DO NOTHING RETURNING device_id, nonce`,
      [
        JSON.stringify(
          rows.map((r) => ({ device_id: r.deviceId, nonce: r.nonce, expires_at: r.expiresAt })),
        ),
      ],
    );
    return new Set(inserted.map((row) => nonceKey(row.device_id, row.nonce)));
  },
  async states(tx, deviceIds) {
    const rows = await tx.all<DeviceState & { vault_revision: number }>(
      `SELECT ${STATE_COLUMNS}, (${VAULT_REVISION}) AS vault_revision
       FROM devices d JOIN applications a ON a.id = d.app_id
       WHERE d.id IN (SELECT json_array_elements_text(?::json))`,
      [JSON.stringify(deviceIds)],
    );
    const devices = new Map(rows.map((row) => [row.id, row] as const));
    // No device row at all (every one unknown) still needs the sequence; it is one more read.
    const vaultRevision =
      rows[0]?.vault_revision ?? (await tx.get<{ value: number }>(VAULT_REVISION))?.value ?? 0;
    return { devices, vaultRevision };
  },
  async countHits(tx, rows) {
    const totals = await tx.all<{ bucket: string; window_start: number; hits: number }>(
      `INSERT INTO rate_limits (bucket, window_start, hits)
       SELECT x.bucket, x.window_start, x.hits
       FROM json_to_recordset(?::json) AS x(bucket TEXT, window_start BIGINT, hits INTEGER)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + excluded.hits
       RETURNING bucket, window_start, hits`,
      [
        JSON.stringify(
          rows.map((r) => ({ bucket: r.bucket, window_start: r.windowStart, hits: r.hits })),
        ),
      ],
    );
    return new Map(totals.map((row) => [hitKey(row.bucket, row.window_start), row.hits]));
  },
  async touch(tx, rows) {
    for (const row of rows) await tx.run(TOUCH, [row.at, row.address, row.deviceId]);
  },
  purge,
  async admitCached(db, units, limits) {
    const row = await db.get<{ outcomes: string[] }>(
      'SELECT coffer_admit_cached(?::json, ?, ?, ?) AS outcomes',
      [JSON.stringify(units), limits.address, limits.device, limits.touchAfterMs],
    );
    return row?.outcomes ?? [];
  },
};

export function admissionStore(dialect: Dialect): AdmissionStore {
  return dialect === 'postgres' ? postgresStore : sqliteStore;
}
