import type { FastifyBaseLogger } from 'fastify';
import type { AuditEventType } from '../../shared/protocol/audit-events.ts';
import type { Database, Queryable } from '../db/types.ts';
import { appendEvent, appendEvents } from './chain.ts';

/**
 * Non-secret context some events need: the issuer of a refused sign-in, the grant mode, the
 * address a device is bound to (DT-04 wants both addresses of an IP violation), a count.
 */
export interface AuditDetails {
  issuer?: string;
  mode?: string;
  boundAddress?: string;
  count?: number;
}

/** What the server can see of an event: ids, actor, address and outcome — never content. */
export interface AuditEvent {
  type: AuditEventType;
  outcome: 'success' | 'failure';
  ip: string;
  /** The user who acted. */
  userId?: string;
  /** The device that acted (device API). */
  actorDeviceId?: string;
  /** The device acted upon (minted, revoked, redeemed, refused). */
  deviceId?: string;
  appId?: string;
  folderId?: string;
  recordId?: string;
  /** The user acted upon (a manager added or removed). */
  targetUserId?: string;
  /** The refusal's error code or precise reason, for failures. */
  reason?: string;
  issuer?: string;
  details?: AuditDetails;
}

/**
 * The seam every event goes through. `record` takes the transaction of the action it describes,
 * so an action and its audit row commit together or not at all (AU-03): when the audit row
 * cannot be written, the action fails too. Failures outside a transaction pass the database
 * itself, and the append then runs in a transaction of its own.
 */
export interface Audit {
  record(tx: Queryable, event: AuditEvent): Promise<void>;
  /** Appends `events` in order inside `tx`, in one append (a batch of device requests). */
  recordMany(tx: Queryable, events: readonly AuditEvent[]): Promise<void>;
}

/**
 * The append-only, hash-chained audit log (chain.ts): each row's hash covers its fields and the
 * previous row's hash, and the chain head is advanced under a database lock.
 */
export function createChainedAudit(db: Database, log: FastifyBaseLogger, now: () => number): Audit {
  return {
    record: async (tx, event) => {
      const at = now();
      const seq =
        tx === db
          ? await db.transaction((own) => appendEvent(own, db.dialect, event, at))
          : await appendEvent(tx, db.dialect, event, at);
      log.debug({ seq, type: event.type, outcome: event.outcome }, 'record');
    },
    recordMany: async (tx, events) => {
      const seq = await appendEvents(tx, db.dialect, events, now());
      log.debug({ seq, count: events.length }, 'recordMany');
    },
  };
}
