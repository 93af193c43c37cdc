import type { CofferError } from '../../shared/errors.ts';
import type { Audit, AuditEvent } from '../audit/audit.ts';
import type { Queryable } from '../db/types.ts';
import { rateLimited } from '../http/rate-limit.ts';
import { isRefusal } from './admission.ts';
import type { Admission, AdmissionLimits, AuthenticatedDevice, BatchRequest } from './admission.ts';
import { LIMIT_WINDOW_MS, hitKey, nonceExpiry, nonceKey } from './admission-store.ts';
import type { AdmissionStore, DeviceState, HitRow, NonceRow } from './admission-store.ts';
import { lateRefusal, refusal } from './refusals.ts';

/**
 * A device's last access is shown to its managers to the second it happened at most this long
 * ago: rewriting the row on every request of a busy device would add a write per fetch for a
 * value nobody reads at that resolution. A change of address is always written at once.
 */
export const LAST_ACCESS_RESOLUTION_MS = 10_000;

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A request's own read failed: its batch is rolled back and run again without it. */
export class ReadFailed extends Error {
  readonly index: number;
  constructor(index: number, cause: unknown) {
    super('A batched read failed', { cause });
    this.index = index;
  }
}

export const windowOf = (now: number) => Math.floor(now / LIMIT_WINDOW_MS) * LIMIT_WINDOW_MS;

type Verdict =
  | { refusal: CofferError; reason?: string; details?: { boundAddress: string } }
  | {
      device: AuthenticatedDevice;
      value: unknown;
      state: DeviceState;
      admission: Admission<unknown>;
    };

/**
 * Admits a batch of requests inside `tx`, in the order the contract lists: a nonce never seen
 * before, then revocation, the application's state, access expiry and the IP rule, the answer's
 * reads, then the per-address and per-device counters, and finally the writes that commit with
 * the answers — last accesses and audit rows. Answers each request's outcome, to be delivered
 * once `tx` commits; throws `ReadFailed` when a request's own read fails.
 *
 * Every statement covers the whole batch, and rows are written in key order, so two replicas'
 * batches take shared rows (a nonce sent to both, an address's or a device's counter) in the
 * same order and cannot deadlock.
 */
export async function admitBatch(
  tx: Queryable,
  deps: { store: AdmissionStore; audit: Audit; limits: AdmissionLimits },
  requests: readonly BatchRequest[],
): Promise<Settled[]> {
  const { store, audit, limits } = deps;

  // A nonce twice in one batch is claimed by its first request; the second is a replay.
  const claimedBy = new Map<string, number>();
  const nonces: NonceRow[] = [];
  requests.forEach((r, i) => {
    if (isRefusal(r)) return;
    const key = nonceKey(r.device.deviceId, r.nonce);
    if (claimedBy.has(key)) return;
    claimedBy.set(key, i);
    nonces.push({
      deviceId: r.device.deviceId,
      nonce: r.nonce,
      expiresAt: nonceExpiry(r.signedAt),
    });
  });
  const deviceIds = [
    ...new Set(requests.flatMap((r) => (isRefusal(r) ? [] : [r.device.deviceId]))),
  ];
  // Independent of each other: on PostgreSQL both travel in one round trip (pipelined).
  const [fresh, { devices, vaultRevision }] = await Promise.all([
    store.consumeNonces(
      tx,
      sortBy(nonces, (n) => nonceKey(n.deviceId, n.nonce)),
      Math.max(...requests.map((r) => r.now)),
    ),
    store.states(tx, deviceIds.sort()),
  ]);

  const judged: { r: BatchRequest; verdict: Verdict }[] = [];
  const judge = (r: BatchRequest, verdict: Verdict) => judged.push({ r, verdict });
  for (const [i, r] of requests.entries()) {
    if (isRefusal(r)) {
      judge(r, { refusal: r.error, reason: r.reason });
      continue;
    }
    const key = nonceKey(r.device.deviceId, r.nonce);
    const state = devices.get(r.device.deviceId);
    if (!fresh.has(key) || claimedBy.get(key) !== i) {
      judge(r, { refusal: refusal('request_replayed') });
    } else if (!state || state.bound_address === null) {
      // Bound devices are never unbound or deleted; this would be a damaged row.
      throw new ReadFailed(i, new Error('A bound device vanished'));
    } else {
      const device = authenticated(state, r.ip);
      const refused = stateRefusal(state, device, r.now);
      if (refused) {
        judge(r, refused);
        continue;
      }
      const revision = { vaultRevision, accessRevision: state.access_revision };
      try {
        judge(r, { device, value: await r.read(tx, device, revision), state, admission: r });
      } catch (error) {
        throw new ReadFailed(i, error);
      }
    }
  }

  // Counted after the reads, as one statement; a request's place in its counter decides.
  const addressBucket = (r: BatchRequest) => `ip:${r.ip}`;
  const deviceBucket = (device: { deviceId: string }) => `device:${device.deviceId}`;
  const hits = new Map<string, HitRow>();
  const hit = (bucket: string, windowStart: number) => {
    const key = hitKey(bucket, windowStart);
    const row = hits.get(key) ?? { bucket, windowStart, hits: 0 };
    row.hits += 1;
    hits.set(key, row);
  };
  for (const { r, verdict } of judged) {
    if (r.countsAddress) hit(addressBucket(r), windowOf(r.now));
    if ('device' in verdict) hit(deviceBucket(verdict.device), windowOf(r.now));
  }
  const totals = await store.countHits(
    tx,
    sortBy([...hits.values()], (h) => hitKey(h.bucket, h.windowStart)),
  );
  // The totals include this batch: its requests take the places after the earlier ones, in
  // the order they arrived.
  const taken = new Map<string, number>();
  const over = (bucket: string, windowStart: number, limit: number) => {
    const key = hitKey(bucket, windowStart);
    const place = (taken.get(key) ?? (totals.get(key) ?? 0) - (hits.get(key)?.hits ?? 0)) + 1;
    taken.set(key, place);
    return place > limit;
  };

  const settled: Settled[] = [];
  const events: AuditEvent[] = [];
  const touched = new Map<string, { deviceId: string; at: number; address: string }>();
  for (const { r, verdict } of judged) {
    const windowStart = windowOf(r.now);
    const limited = () => rateLimited(windowStart + LIMIT_WINDOW_MS, r.now);
    if (r.countsAddress && over(addressBucket(r), windowStart, limits.apiPerAddressPerMinute)) {
      settled.push({ ok: false, error: limited() });
      continue;
    }
    if ('refusal' in verdict) {
      events.push(refusalEvent(r, verdict));
      settled.push({ ok: false, error: verdict.refusal });
      continue;
    }
    if (over(deviceBucket(verdict.device), windowStart, limits.devicePerMinute)) {
      settled.push({ ok: false, error: limited() });
      continue;
    }
    const { device } = verdict;
    const seen = touched.get(device.deviceId);
    const lastAt = seen ? seen.at : verdict.state.last_access_at;
    const lastAddress = seen ? seen.address : verdict.state.last_address;
    if (lastAt === null || r.now - lastAt >= LAST_ACCESS_RESOLUTION_MS || lastAddress !== r.ip) {
      touched.set(device.deviceId, { deviceId: device.deviceId, at: r.now, address: r.ip });
    }
    const event = verdict.admission.audit?.(device, verdict.value);
    if (event) events.push(event);
    settled.push({ ok: true, value: verdict.value });
  }
  await Promise.all([
    store.touch(
      tx,
      sortBy([...touched.values()], (t) => t.deviceId),
    ),
    audit.recordMany(tx, events),
  ]);
  return settled;
}

/**
 * A refusal's audit row. A device that is not known is named only as the id the request
 * carried, like an unknown device's failed redemption: it is no actor, and has no application.
 */
function refusalEvent(
  r: BatchRequest,
  verdict: { refusal: CofferError; reason?: string; details?: { boundAddress: string } },
): AuditEvent {
  const device = isRefusal(r)
    ? { deviceId: r.deviceId, appId: r.appId }
    : { deviceId: r.device.deviceId, appId: r.device.appId };
  return {
    type: 'device_request_refused',
    outcome: 'failure',
    ip: r.ip,
    ...(device.appId === undefined ? {} : { actorDeviceId: device.deviceId, appId: device.appId }),
    deviceId: device.deviceId,
    reason: verdict.reason ?? verdict.refusal.code,
    ...(verdict.details ? { details: verdict.details } : {}),
  };
}

function sortBy<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function authenticated(state: DeviceState, ip: string): AuthenticatedDevice {
  return {
    deviceId: state.id,
    deviceName: state.name,
    appId: state.app_id,
    appName: state.app_name,
    appKeyVersion: state.app_key_version,
    accessExpiry: state.access_expiry,
    ipRule: JSON.parse(state.ip_rule) as AuthenticatedDevice['ipRule'],
    boundAddress: state.bound_address ?? '',
    ip,
  };
}

/** Revoked, disabled, expired or out of its IP rule: why this device may not proceed, if so. */
function stateRefusal(
  state: DeviceState,
  device: AuthenticatedDevice,
  now: number,
): { refusal: CofferError; details?: { boundAddress: string } } | undefined {
  if (state.revoked_at !== null || state.deleted === 1) {
    return { refusal: refusal('device_revoked') };
  }
  if (state.disabled === 1) return { refusal: refusal('application_disabled') };
  const late = lateRefusal(device, device.ip, now);
  if (!late) return undefined;
  return { refusal: refusal(late.code), ...(late.details ? { details: late.details } : {}) };
}
