import type { Migration } from './migrations.ts';

/**
 * Issue #3 items 7–9: applications and their managers and grants, devices, request nonces and
 * rate-limit counters (in the database so replicas agree), and the hash-chained audit log.
 * Device times that the protocol speaks in (deadline, access expiry) are Unix seconds, as on the
 * wire; every other time is Unix milliseconds, as in the first step.
 */
export const MIGRATION_2: Migration = {
  version: 2,
  name: 'applications, grants, devices, request nonces, rate limits, audit chain',
  statements: [
    `CREATE TABLE applications (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      key_version INTEGER NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      deleted INTEGER NOT NULL DEFAULT 0,
      created_by TEXT NOT NULL REFERENCES users (id),
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE TABLE app_managers (
      app_id TEXT NOT NULL REFERENCES applications (id),
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      wrapped_app_key TEXT NOT NULL,
      key_version INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (app_id, user_id)
    )`,
    `CREATE INDEX app_managers_user ON app_managers (user_id)`,
    `CREATE TABLE app_grants (
      app_id TEXT NOT NULL REFERENCES applications (id),
      folder_id TEXT NOT NULL REFERENCES folders (id),
      mode TEXT NOT NULL,
      app_key_version INTEGER NOT NULL,
      folder_key_version INTEGER NOT NULL,
      wrapped_folder_key TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES users (id),
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (app_id, folder_id)
    )`,
    `CREATE INDEX app_grants_folder ON app_grants (folder_id)`,
    `CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES applications (id),
      name TEXT NOT NULL,
      bind_proof_key TEXT,
      app_key_version INTEGER NOT NULL,
      wrapped_app_key TEXT,
      first_access_deadline BIGINT NOT NULL,
      access_expiry BIGINT,
      ip_rule TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES users (id),
      created_at BIGINT NOT NULL,
      redeemed_at BIGINT,
      bound_address TEXT,
      signing_public_key TEXT,
      ecdh_public_key TEXT,
      last_access_at BIGINT,
      last_address TEXT,
      revoked_at BIGINT
    )`,
    `CREATE INDEX devices_app ON devices (app_id)`,
    `CREATE TABLE device_nonces (
      device_id TEXT NOT NULL,
      nonce TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (device_id, nonce)
    )`,
    `CREATE INDEX device_nonces_expiry ON device_nonces (expires_at)`,
    `CREATE TABLE rate_limits (
      bucket TEXT NOT NULL,
      window_start BIGINT NOT NULL,
      hits INTEGER NOT NULL,
      PRIMARY KEY (bucket, window_start)
    )`,
    `CREATE INDEX rate_limits_window ON rate_limits (window_start)`,
    `CREATE TABLE audit_events (
      seq BIGINT PRIMARY KEY,
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
    `CREATE INDEX audit_events_at ON audit_events (at)`,
    `CREATE INDEX audit_events_app ON audit_events (app_id)`,
    `CREATE INDEX audit_events_device ON audit_events (device_id)`,
    `CREATE INDEX audit_events_folder ON audit_events (folder_id)`,
    `CREATE INDEX audit_events_actor ON audit_events (actor_user_id)`,
    // The chain head: one row, locked by every append so concurrent writers and replicas agree.
    `CREATE TABLE audit_head (
      id INTEGER PRIMARY KEY,
      seq BIGINT NOT NULL,
      hash TEXT NOT NULL
    )`,
    `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
    // The device API speaks of a record's key and schema versions; user writes may name them too.
    `ALTER TABLE records ADD COLUMN key_version INTEGER`,
    `ALTER TABLE records ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1`,
    `UPDATE records SET key_version =
       (SELECT f.key_version FROM folders f WHERE f.id = records.root_id)`,
  ],
  // Append-only: the application never updates or deletes audit rows, and the database refuses
  // it too, so a bug cannot rewrite history; an operator with DDL rights can, and the chain shows.
  dialect: {
    sqlite: [
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
      `CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
    ],
    postgres: [
      `CREATE FUNCTION coffer_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`,
      `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION coffer_audit_append_only()`,
    ],
  },
};
