import type { FastifyRequest } from 'fastify';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { IpRule } from '../../shared/protocol/bodies.ts';
import { parseRequestHeaders } from '../../shared/protocol/signed-request.ts';
import type { Audit } from '../audit/audit.ts';
import type { Database, Queryable } from '../db/types.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { addressAllowed } from './ip-rule.ts';
import type { RequestNonces } from './nonces.ts';
import type { DeviceSignatureVerifier } from './signature.ts';

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

interface DeviceAuthRow extends Record<string, unknown> {
  id: string;
  app_id: string;
  name: string;
  signing_public_key: string | null;
  access_expiry: number | null;
  ip_rule: string;
  bound_address: string | null;
  revoked_at: number | null;
  last_access_at: number | null;
  last_address: string | null;
  app_name: string;
  app_key_version: number;
  disabled: number;
  deleted: number;
}

export interface DeviceAuthDeps {
  db: Database;
  audit: Audit;
  nonces: RequestNonces;
  limiter: RateLimiter;
  verifier: DeviceSignatureVerifier;
  now(): number;
  /** Host the device signed for: the public URL's, or else the request's own Host header. */
  publicHost: string | undefined;
  devicePerMinute: number;
  /** Requests naming a device that is not bound, per address: probing ids costs a query each. */
  unknownDevicePerAddressPerMinute: number;
}

const unknownDevice = () =>
  new CofferError('unauthenticated', 'Unknown device: redeem a device token first');

/**
 * A device's last access is shown to its managers to the second it happened at most this long
 * ago: rewriting the row on every request of a busy device would add a write per fetch for a
 * value nobody reads at that resolution. A change of address is always written at once.
 */
export const LAST_ACCESS_RESOLUTION_MS = 10_000;

/** What a route does inside the request's transaction, around the rate-limit count. */
export interface DeviceWork<T> {
  /** Reads the answer, once the nonce and the device's state passed; writes nothing. */
  read(tx: Queryable, device: AuthenticatedDevice): Promise<T>;
  /** Writes that commit with the answer (its audit row), once the rate limit passed. */
  record(tx: Queryable, device: AuthenticatedDevice, value: T): Promise<void>;
}

/**
 * Authenticates a signed device request, in the order the contract lists (device-api.ts
 * SIGNED_ROUTE_ERRORS): headers and a known bound device, timestamp within ±300 s of the server
 * clock, signature over method, path with query, host, timestamp, nonce, device id and body
 * hash, a nonce never seen before, then revocation, disabled application, access expiry and
 * the IP rule, and finally the device's rate limit. Every refusal after the device is known is
 * audited with its precise reason.
 *
 * The nonce, the rate-limit count, the last access and whatever `work` writes (the fetch's audit
 * row) share one transaction: one commit per request instead of one per write, and a request
 * either leaves all of them or none. A refusal found inside it is audited in the same
 * transaction, committed, and thrown afterwards, so a refused request's nonce stays spent.
 *
 * The order inside it matters on PostgreSQL: the device's rate-limit row and the audit chain's
 * head are locked until the commit, so both come after the reads. Counting the limit before the
 * reads made every request of one device wait for the previous one's reads and commit.
 */
export async function authenticateDevice<T>(
  deps: DeviceAuthDeps,
  request: FastifyRequest,
  body: Uint8Array,
  ip: string,
  work: DeviceWork<T>,
): Promise<{ device: AuthenticatedDevice; value: T }> {
  const auth = parseRequestHeaders(request.headers);
  const device = await deps.db.get<DeviceAuthRow>(
    `SELECT d.id, d.app_id, d.name, d.signing_public_key, d.access_expiry, d.ip_rule,
       d.bound_address, d.revoked_at, d.last_access_at, d.last_address, a.name AS app_name,
       a.key_version AS app_key_version, a.disabled, a.deleted
     FROM devices d JOIN applications a ON a.id = d.app_id WHERE d.id = ?`,
    [auth.deviceId],
  );
  if (!device?.signing_public_key || device.bound_address === null) {
    const limit = deps.unknownDevicePerAddressPerMinute;
    await deps.limiter.hit(`unknown-device-ip:${ip}`, limit, 60_000, deps.now());
    throw unknownDevice();
  }
  const refusal = async (tx: Queryable, error: CofferError, details = {}) => {
    await deps.audit.record(tx, {
      type: 'device_request_refused',
      outcome: 'failure',
      ip,
      actorDeviceId: device.id,
      deviceId: device.id,
      appId: device.app_id,
      reason: error.code,
      details,
    });
    return error;
  };

  const now = deps.now();
  const host = deps.publicHost ?? request.headers.host?.toLowerCase();
  if (host === undefined) throw new CofferError('unauthenticated', 'Request has no Host header.');
  try {
    deps.verifier.verify(
      auth,
      { method: request.method, pathWithQuery: request.url, host, body },
      device.signing_public_key,
      Math.floor(now / 1000),
    );
  } catch (error) {
    if (isCofferError(error, 'stale_timestamp') || isCofferError(error, 'bad_signature')) {
      throw await refusal(deps.db, error);
    }
    throw error;
  }
  const ipRule = JSON.parse(device.ip_rule) as IpRule;
  const authenticated: AuthenticatedDevice = {
    deviceId: device.id,
    deviceName: device.name,
    appId: device.app_id,
    appName: device.app_name,
    appKeyVersion: device.app_key_version,
    accessExpiry: device.access_expiry,
    ipRule,
    boundAddress: device.bound_address,
    ip,
  };
  const outcome = await deps.db.transaction(async (tx) => {
    if (!(await deps.nonces.consume(device.id, auth.nonce, now, tx))) {
      const replay = new CofferError('request_replayed', 'This request was already received once');
      return { error: await refusal(tx, replay) };
    }
    const refused = refusalOf(device, ipRule, ip, now);
    if (refused) return { error: await refusal(tx, refused.error, refused.details) };
    const value = await work.read(tx, authenticated);
    const limited = await deps.limiter.count(
      tx,
      `device:${device.id}`,
      deps.devicePerMinute,
      60_000,
      now,
    );
    if (limited) return { error: limited };
    if (
      device.last_access_at === null ||
      now - device.last_access_at >= LAST_ACCESS_RESOLUTION_MS ||
      device.last_address !== ip
    ) {
      await tx.run('UPDATE devices SET last_access_at = ?, last_address = ? WHERE id = ?', [
        now,
        ip,
        device.id,
      ]);
    }
    await work.record(tx, authenticated, value);
    return { value };
  });
  if ('error' in outcome) throw outcome.error;
  return { device: authenticated, value: outcome.value };
}

/** Revoked, disabled, expired or out of its IP rule: why this device may not proceed, if so. */
function refusalOf(
  device: DeviceAuthRow,
  ipRule: IpRule,
  ip: string,
  now: number,
): { error: CofferError; details?: { boundAddress: string } } | undefined {
  if (device.revoked_at !== null || device.deleted === 1) {
    return { error: new CofferError('device_revoked', 'This device has been revoked') };
  }
  if (device.disabled === 1) {
    return {
      error: new CofferError('application_disabled', 'The application of this device is disabled'),
    };
  }
  if (device.access_expiry !== null && Math.floor(now / 1000) >= device.access_expiry) {
    return { error: new CofferError('device_expired', 'The access of this device has expired') };
  }
  if (device.bound_address !== null && !addressAllowed(ipRule, ip, device.bound_address)) {
    return {
      error: new CofferError('ip_not_allowed', 'This device may not be used from this address'),
      details: { boundAddress: device.bound_address },
    };
  }
  return undefined;
}
