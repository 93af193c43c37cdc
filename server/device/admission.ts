import type { CofferError } from '../../shared/errors.ts';
import type { IpRule } from '../../shared/protocol/bodies.ts';
import type { Audit, AuditEvent } from '../audit/audit.ts';
import { auditFields } from '../audit/chain.ts';
import type { Database, Queryable } from '../db/types.ts';
import { rateLimited } from '../http/rate-limit.ts';
import { LAST_ACCESS_RESOLUTION_MS, ReadFailed, admitBatch, windowOf } from './admission-batch.ts';
import type { Settled } from './admission-batch.ts';
import { LIMIT_WINDOW_MS, admissionStore, nonceExpiry } from './admission-store.ts';
import type { AdmissionStore, CachedUnit } from './admission-store.ts';
import type { BoundDevice } from './bound-devices.ts';
import { isDeviceRefusal, lateRefusal, refusal } from './refusals.ts';

/** A device whose request verified and passed every check, as the handlers see it. */
export interface AuthenticatedDevice {
  deviceId: string;
  deviceName: string;
  appId: string;
  appName: string;
  appKeyVersion: number;
  accessExpiry: number | null;
  ipRule: IpRule;
  boundAddress: string;
  ip: string;
}

/** Who a device's audit events name. */
export interface DeviceActor {
  deviceId: string;
  appId: string;
  ip: string;
}

/** What a cached answer is checked against: both only ever grow (device/vault-answers.ts). */
export interface AccessRevision {
  /** The vault's revision: every statement that writes folders or records moves it. */
  vaultRevision: number;
  /** The application's grant revision: every grant change advances it. */
  accessRevision: number;
}

/** An answer read earlier, which stands only while its application is still where it was. */
export interface CachedAnswer<T> {
  appKeyVersion: number;
  revision: AccessRevision;
  value: T;
  /** The audit event that commits with the answer, if any. */
  event: AuditEvent | undefined;
}

/** One signed request whose signature was checked, waiting for its batch. */
export interface Admission<T> {
  device: BoundDevice;
  nonce: string;
  /** The time the request was signed at (Unix seconds), which its nonce is kept by. */
  signedAt: number;
  ip: string;
  now: number;
  /** Whether this request spends the per-address budget here rather than before routing. */
  countsAddress: boolean;
  /** Reads the answer once the request is admitted, in the batch's transaction; no writes. */
  read(tx: Queryable, device: AuthenticatedDevice, revision: AccessRevision): Promise<T>;
  /** The audit event that commits with the answer, if any. */
  audit?(device: DeviceActor, value: T): AuditEvent | undefined;
  /**
   * An answer kept from an earlier read, to send instead of reading if it still stands; asked
   * for only where a batch can check that without a transaction (PostgreSQL).
   */
  cached?(): CachedAnswer<T> | undefined;
}

/**
 * A signed request refused before its batch — its device unknown, its timestamp stale or its
 * signature wrong — to be audited in a batch like any other refusal, its nonce not spent.
 */
export interface Refusal {
  /** What the caller is answered: the same for an unknown device as for a known one. */
  error: CofferError;
  /** What the audit log records: `unknown_device`, or the answered code. */
  reason: string;
  /** The device id the request named; `appId` only when that device is known. */
  deviceId: string;
  appId: string | undefined;
  ip: string;
  now: number;
  countsAddress: boolean;
}

/** What a batch admits: signed requests that verified, and refusals to audit. */
export type BatchRequest = Admission<unknown> | Refusal;

export const isRefusal = (request: BatchRequest): request is Refusal => 'error' in request;

export interface AdmissionLimits {
  devicePerMinute: number;
  apiPerAddressPerMinute: number;
}

/** Enough to drain every connection of a busy server in one commit, small enough to stay brief. */
const MAX_BATCH = 64;
const PURGE_EVERY_MS = 60_000;

interface Pending {
  admission: BatchRequest;
  settle(result: Settled): void;
}

/**
 * Admits signed device requests in batches: every request that arrives while a batch commits
 * joins the next one, and a batch is one transaction — one commit, one lock of the audit chain's
 * head — for all of its requests. The chain's head is locked until the commit's flush, so one
 * commit per request bounds every replica together by the disk's flush latency; one per batch
 * does not.
 *
 * Each request is still checked on its own in its batch (admission-batch.ts): its nonce is
 * inserted (a replay, in this batch or an earlier one, on any replica, finds it), its device and
 * application are read fresh, its per-address and per-device counters are counted, and its audit
 * row — the refusal with its reason, or the route's success event — is appended, all in one
 * transaction with its answer. A refusal is committed (its nonce stays spent) and answered after
 * the commit.
 *
 * On PostgreSQL, requests that carry a cached answer are first admitted by one function call
 * (`coffer_admit_cached`, migration-4.ts) that makes the same checks and writes in one round
 * trip, and answers `stale` for any whose application moved since the answer was read; those,
 * and every other request, go through the transaction above.
 */
export class AdmissionBatcher {
  readonly #db: Database;
  readonly #audit: Audit;
  readonly #limits: AdmissionLimits;
  readonly #store: AdmissionStore;
  #queue: Pending[] = [];
  #busy = false;
  #lastPurge = 0;

  constructor(db: Database, audit: Audit, limits: AdmissionLimits) {
    this.#db = db;
    this.#audit = audit;
    this.#limits = limits;
    this.#store = admissionStore(db.dialect);
  }

  admit<T>(admission: Admission<T>): Promise<T> {
    return this.#enqueue(admission as Admission<unknown>) as Promise<T>;
  }

  /**
   * Audits a refusal in the next batch, and rejects with its error once that batch commits: a
   * refusal costs what an admission costs, whichever check refused it.
   */
  refuse(refusal: Refusal): Promise<never> {
    return this.#enqueue(refusal) as Promise<never>;
  }

  #enqueue(admission: BatchRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        admission,
        settle: (result) => {
          if (result.ok) resolve(result.value);
          else reject(result.error);
        },
      });
      this.#schedule();
    });
  }

  /**
   * After this turn's I/O callbacks: every request that arrived with this one joins its batch.
   * Started at once, a batch on SQLite (synchronous underneath) would run to its commit before
   * the next request were even parsed, one batch per request. One batch runs at a time: the
   * next one gathers the requests that arrive meanwhile.
   */
  #schedule(): void {
    if (this.#busy || this.#queue.length === 0) return;
    this.#busy = true;
    setImmediate(() => {
      void this.#run(this.#queue.splice(0, MAX_BATCH)).finally(() => {
        this.#busy = false;
        this.#schedule();
      });
    });
  }

  async #run(batch: readonly Pending[]): Promise<void> {
    const now = Math.max(...batch.map((p) => p.admission.now));
    if (now - this.#lastPurge > PURGE_EVERY_MS) {
      this.#lastPurge = now;
      try {
        await this.#store.purge(this.#db, now);
      } catch (error) {
        for (const p of batch) p.settle({ ok: false, error });
        return;
      }
    }
    let rest = batch;
    const admitCached = this.#store.admitCached;
    if (admitCached) {
      const cached = batch.flatMap((pending) => {
        const { admission } = pending;
        if (isRefusal(admission)) return [];
        const answer = admission.cached?.();
        return answer ? [{ pending, admission, answer }] : [];
      });
      if (cached.length > 0) {
        const stale = await this.#admitCached(admitCached, cached);
        rest = batch.filter((p) => stale.has(p) || !cached.some((c) => c.pending === p));
      }
    }
    if (rest.length > 0) await this.#admitInTransaction(rest);
  }

  /** Settles the requests whose cached answers stand (or fail); answers the rest. */
  async #admitCached(
    admitCached: NonNullable<AdmissionStore['admitCached']>,
    batch: readonly {
      pending: Pending;
      admission: Admission<unknown>;
      answer: CachedAnswer<unknown>;
    }[],
  ): Promise<Set<Pending>> {
    const stale = new Set<Pending>();
    let outcomes: string[];
    try {
      const units = batch.map(({ admission, answer }, i) => cachedUnit(admission, answer, i));
      outcomes = await admitCached(this.#db, units, {
        address: this.#limits.apiPerAddressPerMinute,
        device: this.#limits.devicePerMinute,
        touchAfterMs: LAST_ACCESS_RESOLUTION_MS,
      });
    } catch (error) {
      for (const { pending } of batch) pending.settle({ ok: false, error });
      return stale;
    }
    batch.forEach(({ pending, answer }, i) => {
      const outcome = outcomes[i];
      const now = pending.admission.now;
      if (outcome === 'ok') {
        pending.settle({ ok: true, value: answer.value });
      } else if (outcome === 'rate_limited') {
        const error = rateLimited(windowOf(now) + LIMIT_WINDOW_MS, now);
        pending.settle({ ok: false, error });
      } else if (outcome !== undefined && isDeviceRefusal(outcome)) {
        pending.settle({ ok: false, error: refusal(outcome) });
      } else {
        stale.add(pending);
      }
    });
    return stale;
  }

  async #admitInTransaction(batch: readonly Pending[]): Promise<void> {
    let pending = batch;
    while (pending.length > 0) {
      const requests = pending.map((p) => p.admission);
      const deps = { store: this.#store, audit: this.#audit, limits: this.#limits };
      const result = await this.#db
        .transaction((tx) => admitBatch(tx, deps, requests))
        .catch((error: unknown) => ({ error }));
      if (Array.isArray(result)) {
        pending.forEach((p, i) => p.settle(result[i] ?? { ok: false, error: lostResult() }));
        return;
      }
      const { error } = result;
      if (!(error instanceof ReadFailed)) {
        for (const p of pending) p.settle({ ok: false, error });
        return;
      }
      // A request's own read failed: the rolled-back batch runs again without it, so nothing of
      // it (its nonce, its counts) commits with the others.
      const failed = pending[error.index];
      failed?.settle({ ok: false, error: error.cause });
      pending = pending.filter((p) => p !== failed);
    }
  }
}

const lostResult = () => new Error('A batched request lost its answer');

/** What `coffer_admit_cached` needs of a request; its audit rows as the chain stores them. */
function cachedUnit(
  r: Admission<unknown>,
  cached: CachedAnswer<unknown>,
  index: number,
): CachedUnit {
  const actor = { deviceId: r.device.deviceId, appId: r.device.appId, ip: r.ip };
  const refusalEvent = (code: string, details?: { boundAddress: string }): AuditEvent => ({
    type: 'device_request_refused',
    outcome: 'failure',
    ip: actor.ip,
    actorDeviceId: actor.deviceId,
    deviceId: actor.deviceId,
    appId: actor.appId,
    reason: code,
    ...(details ? { details } : {}),
  });
  const late = lateRefusal(r.device, r.ip, r.now);
  return {
    i: index + 1,
    device_id: r.device.deviceId,
    nonce: r.nonce,
    nonce_expires_at: nonceExpiry(r.signedAt),
    at: r.now,
    ip: r.ip,
    window_start: windowOf(r.now),
    address_bucket: r.countsAddress ? `ip:${r.ip}` : null,
    device_bucket: `device:${r.device.deviceId}`,
    key_version: cached.appKeyVersion,
    access_revision: cached.revision.accessRevision,
    vault_revision: cached.revision.vaultRevision,
    access_expiry: r.device.accessExpiry,
    ip_rule: r.device.ipRuleText,
    bound_address: r.device.boundAddress,
    late_reason: late?.code ?? null,
    late_event: late ? auditFields(refusalEvent(late.code, late.details), r.now) : null,
    refusal_event: auditFields(refusalEvent(''), r.now),
    success_event: cached.event ? auditFields(cached.event, r.now) : null,
  };
}
