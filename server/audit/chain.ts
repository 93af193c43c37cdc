import { createHash } from 'node:crypto';
import { CofferError } from '../../shared/errors.ts';
import type { Dialect, Queryable } from '../db/types.ts';
import type { AuditDetails, AuditEvent } from './audit.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** An audit row as stored, without its own hash. */
export type AuditFields = {
  seq: number;
  at: number;
  type: string;
  outcome: string;
  actor_user_id: string | null;
  actor_device_id: string | null;
  app_id: string | null;
  device_id: string | null;
  folder_id: string | null;
  record_id: string | null;
  target_user_id: string | null;
  ip: string;
  reason: string | null;
  details: string | null;
  prev_hash: string;
};

export type AuditRow = AuditFields & { hash: string };

export const AUDIT_COLUMNS =
  'seq, at, type, outcome, actor_user_id, actor_device_id, app_id, device_id, folder_id, ' +
  'record_id, target_user_id, ip, reason, details, prev_hash, hash';

/** Server-made values only, but still capped and stripped of controls so no field can forge. */
const MAX_TEXT = 256;
/**
 * A UTF-16 surrogate without its partner. Both drivers store it as U+FFFD while JSON.stringify
 * (the hash input) would escape it, so the stored row would no longer hash to its own hash; it
 * becomes U+FFFD before hashing instead.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function clean(text: string | undefined): string | null {
  if (text === undefined) return null;
  const plain = text.replace(/[\p{Cc}\u2028\u2029]/gu, '?').replace(LONE_SURROGATE, '\uFFFD');
  return plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…[truncated]` : plain;
}

function detailsText(event: AuditEvent): string | null {
  const details: AuditDetails = { ...event.details };
  if (event.issuer !== undefined) details.issuer = event.issuer;
  const entries = Object.entries(details)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => [key, typeof value === 'number' ? value : clean(String(value))]);
  return entries.length === 0 ? null : JSON.stringify(Object.fromEntries(entries));
}

/**
 * The hash of a row: SHA-256 over a JSON array of every stored field in a fixed order, the
 * previous row's hash included. JSON arrays have one encoding per value list, so no two rows
 * hash the same input; changing, removing or reordering any row breaks every later link.
 */
export function rowHash(row: AuditFields): string {
  return createHash('sha256')
    .update(JSON.stringify([1, ...storedValues(row)]), 'utf8')
    .digest('hex');
}

/** Every stored field but the hash, in the order of AUDIT_COLUMNS (and of the hash input). */
function storedValues(row: AuditFields): (string | number | null)[] {
  return [
    row.seq,
    row.at,
    row.type,
    row.outcome,
    row.actor_user_id,
    row.actor_device_id,
    row.app_id,
    row.device_id,
    row.folder_id,
    row.record_id,
    row.target_user_id,
    row.ip,
    row.reason,
    row.details,
    row.prev_hash,
  ];
}

/**
 * The stored fields of `event` at `at`, before the chain assigns its place; also what the
 * PostgreSQL functions take, so the cleaning happens here only.
 */
export function auditFields(event: AuditEvent, at: number): Omit<AuditFields, 'seq' | 'prev_hash'> {
  return {
    at,
    type: event.type,
    outcome: event.outcome,
    actor_user_id: clean(event.userId),
    actor_device_id: clean(event.actorDeviceId),
    app_id: clean(event.appId),
    device_id: clean(event.deviceId),
    folder_id: clean(event.folderId),
    record_id: clean(event.recordId),
    target_user_id: clean(event.targetUserId),
    ip: clean(event.ip) ?? '',
    reason: clean(event.reason),
    details: detailsText(event),
  };
}

/**
 * Appends one event inside `tx`, so two writers — in one process or on two replicas — can never
 * both extend the same head. On SQLite the transaction already holds the database's write lock;
 * the head is read, the row hashed here and written. On PostgreSQL one call of
 * `coffer_audit_append` (migration-3.ts) locks the head row (`FOR UPDATE`), hashes the same
 * fields the same way, inserts and moves the head, in one round trip.
 */
export async function appendEvent(
  tx: Queryable,
  dialect: Dialect,
  event: AuditEvent,
  at: number,
): Promise<number> {
  const fields = auditFields(event, at);
  if (dialect === 'postgres') {
    const appended = await tx.get<{ seq: number }>(
      `SELECT coffer_audit_append(?::bigint, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AS seq`,
      [
        fields.at,
        fields.type,
        fields.outcome,
        fields.actor_user_id,
        fields.actor_device_id,
        fields.app_id,
        fields.device_id,
        fields.folder_id,
        fields.record_id,
        fields.target_user_id,
        fields.ip,
        fields.reason,
        fields.details,
      ],
    );
    if (!appended) throw new CofferError('internal_error', 'The audit append answered nothing');
    return appended.seq;
  }
  return appendSqlite(tx, [fields]);
}

/**
 * Appends `events` in order inside `tx`, as `appendEvent` does one: the head is read (or, on
 * PostgreSQL, locked) once for the lot, so a batch of signed device requests costs one round trip
 * of audit instead of one per request. Answers the last sequence number.
 */
export async function appendEvents(
  tx: Queryable,
  dialect: Dialect,
  events: readonly AuditEvent[],
  at: number,
): Promise<number | undefined> {
  if (events.length === 0) return undefined;
  const rows = events.map((event) => auditFields(event, at));
  if (dialect === 'postgres') {
    const appended = await tx.get<{ seq: number }>(
      'SELECT coffer_audit_append_many(?::json) AS seq',
      [JSON.stringify(rows)],
    );
    if (!appended) throw new CofferError('internal_error', 'The audit append answered nothing');
    return appended.seq;
  }
  return appendSqlite(tx, rows);
}

/**
 * SQLite: the transaction already holds the database's write lock, so the head read here is the
 * head; the rows are hashed here and the head moved once, guarded against a concurrent move.
 */
async function appendSqlite(
  tx: Queryable,
  rows: readonly Omit<AuditFields, 'seq' | 'prev_hash'>[],
): Promise<number> {
  const head = await tx.get<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_head WHERE id = 1',
  );
  if (!head) throw new CofferError('internal_error', 'The audit chain head is missing');
  let { seq, hash } = head;
  for (const fields of rows) {
    const row: AuditFields = { ...fields, seq: seq + 1, prev_hash: hash };
    hash = rowHash(row);
    seq = row.seq;
    await tx.run(
      `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES
         (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...storedValues(row), hash],
    );
  }
  const moved = await tx.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?', [
    seq,
    hash,
    head.seq,
  ]);
  if (moved !== 1) throw new CofferError('internal_error', 'The audit chain head moved underneath');
  return seq;
}

export type ChainBreak = 'missing_row' | 'broken_link' | 'hash_mismatch' | 'head_mismatch';

export type ChainVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | {
      ok: false;
      /** 0-based position in the chain of the first row that does not verify. */
      index: number;
      seq: number;
      problem: ChainBreak;
      head: { seq: number; hash: string };
    };

const PAGE = 1000;

/**
 * Walks the whole chain from the genesis hash and reports the first broken link: a gap in the
 * sequence (a deleted row), a previous-hash that is not the prior row's (reordering, insertion),
 * a row whose hash does not match its fields (an edit), or a head that is not the last row (a
 * truncated tail).
 */
export async function verifyChain(db: Queryable): Promise<ChainVerification> {
  const headRow = await db.get<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_head WHERE id = 1',
  );
  const head = { seq: headRow?.seq ?? 0, hash: headRow?.hash ?? '' };
  let prev = GENESIS_HASH;
  let expected = 1;
  for (;;) {
    const rows = await db.all<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`,
      [expected, PAGE],
    );
    for (const row of rows) {
      const index = expected - 1;
      if (row.seq !== expected)
        return { ok: false, index, seq: expected, problem: 'missing_row', head };
      if (row.prev_hash !== prev)
        return { ok: false, index, seq: row.seq, problem: 'broken_link', head };
      if (rowHash(row) !== row.hash) {
        return { ok: false, index, seq: row.seq, problem: 'hash_mismatch', head };
      }
      prev = row.hash;
      expected += 1;
    }
    if (rows.length < PAGE) break;
  }
  const count = expected - 1;
  if (head.seq !== count || head.hash !== prev) {
    return { ok: false, index: count, seq: count + 1, problem: 'head_mismatch', head };
  }
  return { ok: true, count, head };
}
