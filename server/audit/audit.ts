import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/types.ts';

/** The events items 1–6 of issue #3 produce; items 7–9 add applications, devices and tokens. */
export type AuditEventType =
  | 'sign_in'
  | 'sign_in_refused'
  | 'sign_out'
  | 'account_keys_enrolled'
  | 'master_password_changed'
  | 'folder_created'
  | 'folder_updated'
  | 'folder_deleted'
  | 'record_created'
  | 'record_updated'
  | 'record_deleted';

/** What the server can see of an event: ids, actor, address and outcome — never content. */
export interface AuditEvent {
  type: AuditEventType;
  outcome: 'success' | 'failure';
  ip: string;
  userId?: string;
  issuer?: string;
  /** The refusal's error code, for failures. */
  reason?: string;
  folderId?: string;
  recordId?: string;
}

/**
 * The seam every event goes through. `record` takes the transaction of the action it describes,
 * so that once the hash-chained log exists, an action and its audit row commit together or not at
 * all (AU-03). Failures outside a transaction pass the database itself.
 */
export interface Audit {
  record(tx: Queryable, event: AuditEvent): Promise<void>;
}

/**
 * TODO(#3): item 9 replaces this with the append-only, hash-chained table written inside `tx`
 * with its head advanced under a database lock; until then events go to the audit logger only.
 */
export function createLogAudit(log: FastifyBaseLogger): Audit {
  return {
    record: (_tx, event) => {
      log.info({ event }, 'audit');
      return Promise.resolve();
    },
  };
}
