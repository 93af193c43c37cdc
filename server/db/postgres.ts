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

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    all: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query<T>(toPostgresPlaceholders(sql), [...params])).rows,
    get: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query<T>(toPostgresPlaceholders(sql), [...params])).rows[0],
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(toPostgresPlaceholders(sql), [...params])).rowCount ?? 0,
  };
}

export function openPostgres(url: string, onIdleError: (error: Error) => void): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
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
