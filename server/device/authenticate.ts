import type { FastifyRequest } from 'fastify';
import { fromBase64Url } from '../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import { verifyDeviceRequest } from '../../shared/keys/device-requests.ts';
import type { IpRule } from '../../shared/protocol/bodies.ts';
import { parseRequestHeaders } from '../../shared/protocol/signed-request.ts';
import type { Audit } from '../audit/audit.ts';
import type { Database } from '../db/types.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { addressAllowed } from './ip-rule.ts';
import type { RequestNonces } from './nonces.ts';

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
 * Authenticates a signed device request, in the order the contract lists (device-api.ts
 * SIGNED_ROUTE_ERRORS): headers and a known bound device, timestamp within ±300 s of the server
 * clock, signature over method, path with query, host, timestamp, nonce, device id and body
 * hash, a nonce never seen before, then revocation, disabled application, access expiry and
 * the IP rule, and finally the device's rate limit. Every refusal after the device is known is
 * audited with its precise reason.
 */
export async function authenticateDevice(
  deps: DeviceAuthDeps,
  request: FastifyRequest,
  body: Uint8Array,
  ip: string,
): Promise<AuthenticatedDevice> {
  const auth = parseRequestHeaders(request.headers);
  const device = await deps.db.get<DeviceAuthRow>(
    `SELECT d.id, d.app_id, d.name, d.signing_public_key, d.access_expiry, d.ip_rule,
       d.bound_address, d.revoked_at, a.name AS app_name, a.key_version AS app_key_version,
       a.disabled, a.deleted
     FROM devices d JOIN applications a ON a.id = d.app_id WHERE d.id = ?`,
    [auth.deviceId],
  );
  if (!device?.signing_public_key || device.bound_address === null) {
    const limit = deps.unknownDevicePerAddressPerMinute;
    await deps.limiter.hit(`unknown-device-ip:${ip}`, limit, 60_000, deps.now());
    throw unknownDevice();
  }
  const refuse = async (error: CofferError, details = {}): Promise<never> => {
    await deps.audit.record(deps.db, {
      type: 'device_request_refused',
      outcome: 'failure',
      ip,
      actorDeviceId: device.id,
      deviceId: device.id,
      appId: device.app_id,
      reason: error.code,
      details,
    });
    throw error;
  };

  const now = deps.now();
  const host = deps.publicHost ?? request.headers.host?.toLowerCase();
  if (host === undefined) throw new CofferError('unauthenticated', 'Request has no Host header.');
  try {
    await verifyDeviceRequest(
      auth,
      { method: request.method, pathWithQuery: request.url, host, body },
      fromBase64Url(device.signing_public_key),
      Math.floor(now / 1000),
    );
  } catch (error) {
    if (isCofferError(error, 'stale_timestamp') || isCofferError(error, 'bad_signature')) {
      return refuse(error);
    }
    throw error;
  }
  if (!(await deps.nonces.consume(device.id, auth.nonce, now))) {
    return refuse(new CofferError('request_replayed', 'This request was already received once'));
  }
  if (device.revoked_at !== null || device.deleted === 1) {
    return refuse(new CofferError('device_revoked', 'This device has been revoked'));
  }
  if (device.disabled === 1) {
    return refuse(
      new CofferError('application_disabled', 'The application of this device is disabled'),
    );
  }
  if (device.access_expiry !== null && Math.floor(now / 1000) >= device.access_expiry) {
    return refuse(new CofferError('device_expired', 'The access of this device has expired'));
  }
  const ipRule = JSON.parse(device.ip_rule) as IpRule;
  if (!addressAllowed(ipRule, ip, device.bound_address)) {
    return refuse(
      new CofferError('ip_not_allowed', 'This device may not be used from this address'),
      { boundAddress: device.bound_address },
    );
  }
  await deps.limiter.hit(`device:${device.id}`, deps.devicePerMinute, 60_000, now);
  await deps.db.run('UPDATE devices SET last_access_at = ?, last_address = ? WHERE id = ?', [
    now,
    ip,
    device.id,
  ]);
  return {
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
}
