import type { FastifyRequest } from 'fastify';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import { parseRequestHeaders } from '../../shared/protocol/signed-request.ts';
import type { RequestAuthentication } from '../../shared/protocol/signed-request.ts';
import type { AuditEvent } from '../audit/audit.ts';
import type { Database, Queryable } from '../db/types.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type {
  AccessRevision,
  AdmissionBatcher,
  AuthenticatedDevice,
  CachedAnswer,
  DeviceActor,
} from './admission.ts';
import { LIMIT_WINDOW_MS } from './admission-store.ts';
import type { BoundDevice, BoundDevices } from './bound-devices.ts';
import type { DeviceSignatureVerifier } from './signature.ts';

export type { AuthenticatedDevice } from './admission.ts';

export interface DeviceAuthDeps {
  db: Database;
  devices: BoundDevices;
  admissions: AdmissionBatcher;
  limiter: RateLimiter;
  verifier: DeviceSignatureVerifier;
  now(): number;
  /** Host the device signed for: the public URL's, or else the request's own Host header. */
  publicHost: string | undefined;
  apiPerAddressPerMinute: number;
  /** Requests naming a device that is not bound, per address: probing ids costs a query each. */
  unknownDevicePerAddressPerMinute: number;
}

/** What a route does inside the request's batch, once the request is admitted. */
export interface DeviceWork<T> {
  /**
   * Whether the request spends its per-address budget in its batch (body-less reads) rather than
   * before routing (writes, whose bodies should not be read for a caller over budget).
   */
  countsAddress: boolean;
  /** Reads the answer, once the nonce and the device's state passed; writes nothing. */
  read(tx: Queryable, device: AuthenticatedDevice, revision: AccessRevision): Promise<T>;
  /** The audit event that commits with the answer, if any. */
  audit?(device: DeviceActor, value: T): AuditEvent | undefined;
  /** An answer read earlier that may still stand (device/vault-answers.ts). */
  cached?(device: BoundDevice, ip: string, now: number): CachedAnswer<T> | undefined;
}

const unknownDevice = () =>
  new CofferError('unauthenticated', 'Unknown device: redeem a device token first');

/**
 * Authenticates a signed device request, in the order the contract lists (device-api.ts
 * SIGNED_ROUTE_ERRORS): headers and a known bound device, timestamp within ±300 s of the server
 * clock, signature over method, path with query, host, timestamp, nonce, device id and body
 * hash, then — in the request's batch (admission.ts) — a nonce never seen before, revocation,
 * disabled application, access expiry and the IP rule, and finally the rate limits. Every
 * refusal after the device is known is audited with its precise reason; a bad signature or a
 * stale timestamp spends no nonce.
 *
 * A request that ends before its batch spends its per-address budget here, so every API request
 * is counted once whichever way it ends.
 */
export async function authenticateDevice<T>(
  deps: DeviceAuthDeps,
  request: FastifyRequest,
  body: Uint8Array,
  ip: string,
  work: DeviceWork<T>,
): Promise<T> {
  let spent = false;
  const spendAddressBudget = async () => {
    spent = true;
    if (!work.countsAddress) return;
    await deps.limiter.hit(`ip:${ip}`, deps.apiPerAddressPerMinute, LIMIT_WINDOW_MS, deps.now());
  };
  const now = deps.now();
  let checked: { auth: RequestAuthentication; bound: BoundDevice; refused?: CofferError };
  try {
    checked = await checkSignature(deps, request, body, now, async () => {
      await spendAddressBudget();
      const limit = deps.unknownDevicePerAddressPerMinute;
      await deps.limiter.hit(`unknown-device-ip:${ip}`, limit, LIMIT_WINDOW_MS, deps.now());
    });
  } catch (error) {
    if (!spent) await spendAddressBudget();
    throw error;
  }
  const { auth, bound, refused } = checked;
  const peek = work.cached;
  return deps.admissions.admit({
    device: bound,
    nonce: auth.nonce,
    signedAt: auth.timestamp,
    ip,
    now,
    ...(refused ? { refused } : {}),
    countsAddress: work.countsAddress,
    read: work.read,
    ...(work.audit ? { audit: work.audit } : {}),
    ...(peek ? { cached: () => peek(bound, ip, now) } : {}),
  });
}

/**
 * Headers, a bound device and its signature. A bad signature or a stale timestamp is answered
 * as `refused`, to be audited in the request's batch; every other failure throws.
 */
async function checkSignature(
  deps: DeviceAuthDeps,
  request: FastifyRequest,
  body: Uint8Array,
  now: number,
  onUnknown: () => Promise<void>,
): Promise<{ auth: RequestAuthentication; bound: BoundDevice; refused?: CofferError }> {
  const auth = parseRequestHeaders(request.headers);
  const bound = await deps.devices.find(auth.deviceId);
  if (!bound) {
    await onUnknown();
    throw unknownDevice();
  }
  const host = deps.publicHost ?? request.headers.host?.toLowerCase();
  if (host === undefined) throw new CofferError('unauthenticated', 'Request has no Host header.');
  try {
    await deps.verifier.verifyOffThread(
      auth,
      { method: request.method, pathWithQuery: request.url, host, body },
      bound.signingPublicKey,
      Math.floor(now / 1000),
    );
  } catch (error) {
    if (isCofferError(error, 'stale_timestamp') || isCofferError(error, 'bad_signature')) {
      return { auth, bound, refused: error };
    }
    throw error;
  }
  return { auth, bound };
}
