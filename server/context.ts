import type { FastifyBaseLogger } from 'fastify';
import type { Audit } from './audit/audit.ts';
import type { Config } from './config/schema.ts';
import type { Database } from './db/types.ts';

/** What every route module receives: no globals, so tests can start several servers at once. */
export interface ServerContext {
  config: Config;
  db: Database;
  audit: Audit;
  log: FastifyBaseLogger;
  /** The server clock in milliseconds; tests substitute their own (H4). */
  now(): number;
}
