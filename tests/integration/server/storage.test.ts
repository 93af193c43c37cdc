import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../server/db/migrations.ts';
import { openPostgres } from '../../../server/db/postgres.ts';
import { openSqlite } from '../../../server/db/sqlite.ts';
import type { Database } from '../../../server/db/types.ts';
import { DATABASES } from './support/databases.ts';
import type { TestDatabase } from './support/databases.ts';

function open(name: string, test: TestDatabase): Database {
  return name === 'sqlite'
    ? openSqlite(test.location)
    : openPostgres(test.location, (error) => {
        throw error;
      });
}

describe.each(DATABASES)('storage on $name', (target) => {
  it('applies migrations once, however often and however concurrently it starts', async () => {
    const test = await target.create();
    // Two PostgreSQL pools race like two replicas. Two SQLite handles in one thread cannot: the
    // second's synchronous busy wait would block the first's commit, so they share one handle.
    const a = open(target.name, test);
    const b = target.name === 'sqlite' ? a : open(target.name, test);
    try {
      const runs = await Promise.all([migrate(a), migrate(b)]);
      expect(runs.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(a)).toEqual([]);
      const rows = await a.all<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await a.close();
      if (b !== a) await b.close();
      await test.drop();
    }
  });

  it('rolls a failed migration back whole, leaving no half-made table', async () => {
    const test = await target.create();
    const db = open(target.name, test);
    try {
      await migrate(db);
      const broken = {
        version: 99,
        name: 'broken',
        statements: ['CREATE TABLE half_made (id TEXT)', 'NOT SQL'],
      };
      await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow();
      await expect(db.all('SELECT * FROM half_made')).rejects.toThrow();
      expect(
        await db.get('SELECT version FROM schema_migrations WHERE version = 99'),
      ).toBeUndefined();
    } finally {
      await db.close();
      await test.drop();
    }
  });

  it('enforces foreign keys and rolls back a transaction that throws', async () => {
    const test = await target.create();
    const db = open(target.name, test);
    try {
      await migrate(db);
      await expect(
        db.run(
          'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, 1, 2)',
          ['h', 'nobody'],
        ),
      ).rejects.toThrow();
      await expect(
        db.transaction(async (tx) => {
          await tx.run("INSERT INTO login_nonces (nonce_hash, expires_at) VALUES ('n', 1)");
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(
        await db.get("SELECT nonce_hash FROM login_nonces WHERE nonce_hash = 'n'"),
      ).toBeUndefined();
    } finally {
      await db.close();
      await test.drop();
    }
  });
});
