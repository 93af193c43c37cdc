import type { Migration } from './migrations.ts';

/**
 * SQLite: the tables every signed device request writes, shaped so a batch's writes land at the
 * end of as few B-trees as possible (server/device/admission-batch.ts). Measured with
 * `npm run bench -- server/device-fetch`; PostgreSQL keeps its shapes, which it writes in one call
 * (`coffer_admit_cached`).
 *
 * - `device_nonces` is keyed by expiry first, without a rowid: the expiry is derived from the
 *   request's signed time (`nonceExpiry`), which a replay carries unchanged, so a replay still
 *   meets its row, while rows arrive in time order — one tree, appended at its end, and swept from
 *   its start — instead of a rowid table and two indexes written at random places. The nonces
 *   spent before this step stay in `device_nonces_legacy` (keyed as before) and are checked until
 *   they expire (admission-store.ts).
 * - `audit_events.seq` becomes the rowid (`BIGINT PRIMARY KEY` was a second index beside it), and
 *   the folder and acting-user indexes leave out the rows without one: a device's fetch names
 *   neither. The append-only triggers go with the old table and are made again.
 * - `rate_limits` is keyed by window first, without a rowid, so the sweep by window needs no index.
 */
const AUDIT_COLUMNS = `seq, at, type, outcome, actor_user_id, actor_device_id, app_id, device_id,
  folder_id, record_id, target_user_id, ip, reason, details, prev_hash, hash`;

export const MIGRATION_5: Migration = {
  version: 5,
  name: 'SQLite device request tables written in order',
  statements: [],
  dialect: {
    sqlite: [
      `ALTER TABLE device_nonces RENAME TO device_nonces_legacy`,
      `CREATE TABLE device_nonces (
        expires_at BIGINT NOT NULL,
        device_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        PRIMARY KEY (expires_at, device_id, nonce)
      ) WITHOUT ROWID`,

      `CREATE TABLE audit_events_v5 (
        seq INTEGER PRIMARY KEY,
        at BIGINT NOT NULL,
        type TEXT NOT NULL,
        outcome TEXT NOT NULL,
        actor_user_id TEXT,
        actor_device_id TEXT,
        app_id TEXT,
        device_id TEXT,
        folder_id TEXT,
        record_id TEXT,
        target_user_id TEXT,
        ip TEXT NOT NULL,
        reason TEXT,
        details TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      )`,
      `INSERT INTO audit_events_v5 (${AUDIT_COLUMNS})
       SELECT ${AUDIT_COLUMNS} FROM audit_events ORDER BY seq`,
      // Dropping a table deletes its rows without firing its triggers, and drops them.
      `DROP TABLE audit_events`,
      `ALTER TABLE audit_events_v5 RENAME TO audit_events`,
      `CREATE INDEX audit_events_at ON audit_events (at)`,
      `CREATE INDEX audit_events_app ON audit_events (app_id)`,
      `CREATE INDEX audit_events_device ON audit_events (device_id)`,
      `CREATE INDEX audit_events_folder ON audit_events (folder_id) WHERE folder_id IS NOT NULL`,
      `CREATE INDEX audit_events_actor ON audit_events (actor_user_id)
       WHERE actor_user_id IS NOT NULL`,
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
      `CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,

      `CREATE TABLE rate_limits_v5 (
        window_start BIGINT NOT NULL,
        bucket TEXT NOT NULL,
        hits INTEGER NOT NULL,
        PRIMARY KEY (window_start, bucket)
      ) WITHOUT ROWID`,
      `INSERT INTO rate_limits_v5 (window_start, bucket, hits)
       SELECT window_start, bucket, hits FROM rate_limits`,
      `DROP TABLE rate_limits`,
      `ALTER TABLE rate_limits_v5 RENAME TO rate_limits`,
    ],
    postgres: [],
  },
};
