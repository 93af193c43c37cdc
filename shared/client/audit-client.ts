import { CofferError } from '../errors.ts';
import type { ApiClient } from './api-client.ts';
import {
  auditPage,
  chainVerification,
  type AuditEventView,
  type AuditPage,
  type ChainHead,
  type ChainVerification,
} from './admin-wire.ts';

export interface AuditFilter {
  /** A user id or device id: what that user or device did. */
  readonly actor?: string | undefined;
  readonly app?: string | undefined;
  readonly device?: string | undefined;
  readonly event?: string | undefined;
  /** Unix milliseconds, inclusive. */
  readonly since?: number | undefined;
  /** Unix milliseconds, exclusive. */
  readonly until?: number | undefined;
  /** The page starts after this sequence number (the previous page's `nextAfter`). */
  readonly after?: number | undefined;
  readonly limit?: number | undefined;
}

/** A newest-first page: the first has no `before`, later ones the previous page's `nextBefore`. */
export interface NewestAuditFilter extends Omit<AuditFilter, 'after'> {
  readonly before?: number | undefined;
}

export type AuditExportFormat = 'jsonl' | 'syslog';

/**
 * What a verification found, against the head this app verified last time (DESIGN.md "Audit"):
 * - `broken`: the chain itself does not verify; the server reports the first bad row;
 * - `first`: nothing was remembered yet;
 * - `consistent`: the remembered head is still in the chain, at its place, unchanged;
 * - `changed`: the log no longer contains the remembered head — it was rewritten or truncated.
 */
export type AuditCheck =
  | { readonly status: 'broken'; readonly verification: ChainVerification }
  | {
      readonly status: 'first' | 'consistent' | 'changed';
      readonly verification: ChainVerification;
      readonly head: ChainHead;
    };

/** The longest id an audit filter takes, in characters. */
export const AUDIT_FILTER_ID_MAX = 64;
const ID = new RegExp(`^[A-Za-z0-9_-]{22,${AUDIT_FILTER_ID_MAX}}$`);
const EVENT = /^[a-z_]{1,64}$/;

/** The audit log as the app reads it: filtered pages, exports, and verifying the chain. */
export class AuditClient {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Events in chain order (oldest first), as verification and exports see them. */
  async query(filter: AuditFilter = {}): Promise<AuditPage> {
    return this.#api.get('/api/v1/audit', { query: queryOf(filter), schema: auditPage });
  }

  /** Events newest first, as people read a log, with the names they mention. */
  async newest(filter: NewestAuditFilter = {}): Promise<AuditPage> {
    const { before, ...rest } = filter;
    if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
      throw new CofferError('invalid_input', 'The before filter must be a whole number.');
    }
    return this.#api.get('/api/v1/audit', {
      query: { ...queryOf(rest), order: 'newest', before },
      schema: auditPage,
    });
  }

  /** One export file's text (up to 10,000 events in chain order), as the server formats it. */
  async export(filter: AuditFilter, format: AuditExportFormat): Promise<string> {
    return this.#api.getText('/api/v1/audit/export', {
      query: { ...queryOf({ ...filter, limit: filter.limit ?? 10_000 }), format },
    });
  }

  /** Admins only: the server walks the whole chain and reports the first broken link. */
  async verify(): Promise<ChainVerification> {
    return this.#api.get('/api/v1/audit/verify', { schema: chainVerification });
  }

  /**
   * Verifies the chain and compares it with the head verified last time: a longer chain must
   * still hold that head, with the same hash, at the same place — otherwise history was rewritten
   * even if the rewritten chain verifies on its own.
   */
  async check(remembered: ChainHead | null): Promise<AuditCheck> {
    const verification = await this.verify();
    if (!verification.ok) return { status: 'broken', verification };
    const head = verification.head;
    const status = await judgeHistory(remembered, head, (seq) => this.#eventAt(seq));
    return { status, verification, head };
  }

  async #eventAt(seq: number): Promise<AuditEventView | undefined> {
    const page = await this.query({ after: seq - 1, limit: 1 });
    const event = page.events[0];
    return event?.seq === seq ? event : undefined;
  }
}

/** Whether the chain whose head is `current` still contains `remembered` unchanged. */
export async function judgeHistory(
  remembered: ChainHead | null,
  current: ChainHead,
  eventAt: (seq: number) => Promise<{ hash: string } | undefined>,
): Promise<'first' | 'consistent' | 'changed'> {
  if (remembered === null) return 'first';
  if (current.seq < remembered.seq) return 'changed';
  if (current.seq === remembered.seq) {
    return current.hash === remembered.hash ? 'consistent' : 'changed';
  }
  if (remembered.seq === 0) return 'consistent';
  const then = await eventAt(remembered.seq);
  return then?.hash === remembered.hash ? 'consistent' : 'changed';
}

function queryOf(filter: AuditFilter): Record<string, string | number | undefined> {
  for (const [name, value] of [
    ['actor', filter.actor],
    ['application', filter.app],
    ['device', filter.device],
  ] as const) {
    if (value !== undefined && !ID.test(value)) {
      throw new CofferError('invalid_input', `The ${name} filter must be an id.`);
    }
  }
  if (filter.event !== undefined && !EVENT.test(filter.event)) {
    throw new CofferError('invalid_input', 'The event filter must be an event type.');
  }
  for (const [name, value] of [
    ['since', filter.since],
    ['until', filter.until],
    ['after', filter.after],
    ['limit', filter.limit],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new CofferError('invalid_input', `The ${name} filter must be a whole number.`);
    }
  }
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw new CofferError('invalid_input', 'The time range ends before it starts.');
  }
  return {
    actor: filter.actor,
    app: filter.app,
    device: filter.device,
    event: filter.event,
    since: filter.since,
    until: filter.until,
    after: filter.after,
    limit: filter.limit,
  };
}
