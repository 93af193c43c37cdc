import type { FastifyBaseLogger } from 'fastify';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { Database } from './types.ts';

/** A `postgres://` (or `postgresql://`) URL selects PostgreSQL; anything else is a SQLite file. */
export function openDatabase(location: string, log: FastifyBaseLogger): Database {
  if (/^postgres(ql)?:\/\//.test(location)) {
    log.info({ engine: 'postgres' }, 'openDatabase');
    return openPostgres(location, (error) =>
      log.warn({ err: { message: error.message } }, 'openDatabase: idle connection lost'),
    );
  }
  log.info({ engine: 'sqlite' }, 'openDatabase');
  return openSqlite(location);
}
