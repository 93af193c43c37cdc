import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Queryable, Row, SqlValue } from './types.ts';

/**
 * SQLite through better-sqlite3. The driver is synchronous and has one connection, so an async
 * transaction must not interleave with other work on it: every operation waits its turn on a
 * promise chain, and a transaction holds the turn until it commits or rolls back.
 */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') createOwnerOnly(file);
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Another process (a second server on the same file) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  // Under WAL, NORMAL syncs at checkpoints instead of at every commit: a commit survives a crash
  // of this process (it is in the WAL file), and only an OS crash or power loss can lose the
  // last commits; the database never corrupts. Every request commits at least once, so a sync
  // per commit would bound the whole server by the disk's flush latency.
  db.pragma('synchronous = NORMAL');

  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const direct: Queryable = {
    all: <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(prepare(sql).all(...params) as T[]),
    get: <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(prepare(sql).get(...params) as T | undefined),
    run: (sql: string, params: readonly SqlValue[] = []) => {
      const statement = prepare(sql);
      if (statement.reader) {
        statement.all(...params);
        return Promise.resolve(0);
      }
      return Promise.resolve(statement.run(...params).changes);
    },
  };

  let turn: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  }

  return {
    dialect: 'sqlite',
    all: (sql, params) => exclusive(() => direct.all(sql, params)),
    get: (sql, params) => exclusive(() => direct.get(sql, params)),
    run: (sql, params) => exclusive(() => direct.run(sql, params)),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
      exclusive(async () => {
        // IMMEDIATE takes the write lock up front, so two processes cannot both read and then
        // deadlock upgrading to write.
        db.exec('BEGIN IMMEDIATE');
        try {
          const value = await work(direct);
          db.exec('COMMIT');
          return value;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () =>
      exclusive(() => {
        db.close();
        return Promise.resolve();
      }),
  };
}

/**
 * The database holds only ciphertext, but also wrapped keys, the audit log and who may read what:
 * nobody but the server's own user has a reason to read it. SQLite gives the -wal and -shm files
 * the mode of the database file (findCreateFileMode in os_unix.c), so creating the database file
 * owner-only before SQLite opens it covers all three, whatever the umask. A file an older version
 * created readable by others is tightened, if this user owns it.
 */
function createOwnerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  const { mode, uid } = statSync(file);
  if ((mode & 0o077) !== 0 && uid === process.getuid?.()) chmodSync(file, mode & 0o700);
}
