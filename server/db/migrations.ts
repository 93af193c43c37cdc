import { MIGRATION_2 } from './migration-2.ts';
import { MIGRATION_3 } from './migration-3.ts';
import { MIGRATION_4 } from './migration-4.ts';
import { MIGRATION_5 } from './migration-5.ts';
import type { Database, Dialect } from './types.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Portable DDL: TEXT, INTEGER and BIGINT mean the same in both engines. */
  readonly statements: readonly string[];
  /** Statements only one engine understands (triggers), run after the portable ones. */
  readonly dialect?: Readonly<Record<Dialect, readonly string[]>>;
}

/**
 * The schema, one versioned step at a time. Applied migrations are never edited: a change is a
 * new step. Blobs are opaque base64url text (ciphertext only); times are Unix milliseconds.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, account keys, folders, records',
    statements: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        subject TEXT NOT NULL,
        email TEXT,
        is_admin INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        last_sign_in_at BIGINT NOT NULL,
        UNIQUE (issuer, subject)
      )`,
      `CREATE TABLE login_nonces (
        nonce_hash TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE INDEX login_nonces_expiry ON login_nonces (expires_at)`,
      `CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT
      )`,
      `CREATE INDEX sessions_user ON sessions (user_id)`,
      `CREATE TABLE account_keys (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        kdf TEXT NOT NULL,
        salt TEXT NOT NULL,
        wrapped_user_key TEXT NOT NULL,
        public_keys TEXT NOT NULL,
        wrapped_private_keys TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value BIGINT NOT NULL
      )`,
      `INSERT INTO counters (name, value) VALUES ('vault_seq', 0)`,
      `CREATE TABLE folders (
        id TEXT PRIMARY KEY,
        root_id TEXT NOT NULL,
        parent_id TEXT REFERENCES folders (id),
        name TEXT,
        key_version INTEGER,
        revision INTEGER NOT NULL,
        seq BIGINT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL REFERENCES users (id),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE INDEX folders_root_seq ON folders (root_id, seq)`,
      `CREATE INDEX folders_parent ON folders (parent_id)`,
      `CREATE TABLE folder_members (
        folder_id TEXT NOT NULL REFERENCES folders (id),
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        wrapped_key TEXT NOT NULL,
        key_version INTEGER NOT NULL,
        seq BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (folder_id, user_id)
      )`,
      `CREATE INDEX folder_members_user ON folder_members (user_id)`,
      `CREATE TABLE records (
        id TEXT PRIMARY KEY,
        folder_id TEXT NOT NULL REFERENCES folders (id),
        root_id TEXT NOT NULL,
        ciphertext TEXT,
        revision INTEGER NOT NULL,
        seq BIGINT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE INDEX records_root_seq ON records (root_id, seq)`,
      `CREATE INDEX records_folder ON records (folder_id)`,
    ],
  },
  MIGRATION_2,
  MIGRATION_3,
  MIGRATION_4,
  MIGRATION_5,
];

/** An arbitrary constant naming Coffer's migration lock among PostgreSQL advisory locks. */
const PG_MIGRATION_LOCK = 0x0c0ffe3;

/**
 * Applies every pending migration, each in its own transaction together with its row in
 * `schema_migrations`. Replicas starting at once serialise on a lock (an advisory lock on
 * PostgreSQL, the write lock on SQLite) and re-check the version inside it, so each step runs once.
 * Answers the versions it applied.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      if (db.dialect === 'postgres') {
        await tx.run('SELECT pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
      }
      await tx.run(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at BIGINT NOT NULL
        )`,
      );
      const done = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [
        migration.version,
      ]);
      if (done) return false;
      for (const statement of migration.statements) await tx.run(statement);
      for (const statement of migration.dialect?.[db.dialect] ?? []) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
