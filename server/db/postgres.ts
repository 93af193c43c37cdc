import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, Queryable, Row, SqlValue } from './types.ts';

/** `?` placeholders to PostgreSQL's `$n`; the SQL of this codebase has no `?` inside literals. */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * int8 (BIGINT) columns hold millisecond timestamps and sequence numbers, all far below 2^53;
 * pg returns them as strings by default, so parse them as numbers for this pool only.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Named prepared statements: node-postgres prepares a named statement once per connection and
 * afterwards only binds and executes it, so PostgreSQL parses and plans each distinct SQL text
 * once per connection instead of on every call. The SQL of this codebase is a fixed set of texts
 * (values are always parameters), so the names stay few; a name is a digest of the text.
 */
const prepared = new Map<string, { name: string; text: string }>();
const MAX_PREPARED = 1000;

function statement(sql: string): { name?: string; text: string } {
  let found = prepared.get(sql);
  if (!found) {
    const text = toPostgresPlaceholders(sql);
    // Beyond this many distinct texts something builds SQL per call: stop naming, stay correct.
    if (prepared.size >= MAX_PREPARED) return { text };
    found = { name: `coffer_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`, text };
    prepared.set(sql, found);
  }
  return found;
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  const query = <T extends Row>(sql: string, params: readonly SqlValue[]) =>
    client.query<T>({ ...statement(sql), values: [...params] });
  return {
    all: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await query<T>(sql, params)).rows,
    get: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await query<T>(sql, params)).rows[0],
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await query(sql, params)).rowCount ?? 0,
  };
}

export function openPostgres(url: string, onIdleError: (error: Error) => void): Database {
  // Pipelined (https://node-postgres.com/features/pipelining): queries issued without awaiting
  // the previous one go out at once and share a round trip, as a batch of signed device
  // requests issues its independent statements (device/admission-batch.ts). Code that awaits
  // each query behaves exactly as without.
  const pool = new pg.Pool({ connectionString: url, max: 10, types, pipeline: true });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', onIdleError);
  return {
    dialect: 'postgres',
    ...queryable(pool),
    transaction: async <T>(work: (tx: Queryable) => Promise<T>) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work(queryable(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
