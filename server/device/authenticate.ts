import { generateKeyPairSync } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { toBase64Url } from '../../shared/crypto/index.ts';
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
import { badSignature } from './signature.ts';
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
  /**
   * Signed requests that do not verify, per address — unknown devices and bad signatures alike,
   * so the limit answers the same for both: probing ids costs a query each.
   */
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

/**
 * What an unknown device's request is verified against: a P-256 key made here, its private half
 * dropped at once, so nothing verifies under it. An unknown device then takes the same path as a
 * known one whose signature is wrong — the same checks, the same elliptic-curve work, the same
 * batch and audit write — and gets the same answer: from outside, a made-up id cannot be told
 * from a real or revoked one (AC-01). Only the audit log names it `unknown_device`.
 */
let unknownDeviceKey: string | undefined;
function keyForUnknownDevices(): string {
  if (unknownDeviceKey === undefined) {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    // The last 65 bytes of a P-256 SubjectPublicKeyInfo are the uncompressed point.
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    unknownDeviceKey = toBase64Url(spki.subarray(spki.length - 65));
  }
  return unknownDeviceKey;
}

/**
 * Authenticates a signed device request, in the order the contract lists (device-api.ts
 * SIGNED_ROUTE_ERRORS): headers, timestamp within ±300 s of the server clock, signature over
 * method, path with query, host, timestamp, nonce, device id and body hash — against the bound
 * device's key, or a key nothing verifies under when the id is not a bound device — then, in the
 * request's batch (admission.ts), a nonce never seen before, revocation, disabled application,
 * access expiry and the IP rule, and finally the rate limits. Every refusal past the headers is
 * audited in a batch with its precise reason; a request that does not verify spends no nonce.
 *
 * A request that does not verify also spends from a tighter per-address budget, whether its
 * device is known or not: probing ids costs a query each, and running out of that budget must
 * not answer differently for a known id than for a made-up one.
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
  const now = deps.now();
  let checked: Checked;
  try {
    checked = await checkSignature(deps, request, body, now);
    if (checked.refused) {
      const limit = deps.unknownDevicePerAddressPerMinute;
      await deps.limiter.hit(`unverified-device-ip:${ip}`, limit, LIMIT_WINDOW_MS, deps.now());
    }
  } catch (error) {
    if (work.countsAddress) {
      await deps.limiter.hit(`ip:${ip}`, deps.apiPerAddressPerMinute, LIMIT_WINDOW_MS, deps.now());
    }
    throw error;
  }
  const { auth, bound, refused } = checked;
  if (refused) {
    return deps.admissions.refuse({
      error: refused,
      reason: bound ? refused.code : 'unknown_device',
      deviceId: auth.deviceId,
      appId: bound?.appId,
      ip,
      now,
      countsAddress: work.countsAddress,
    });
  }
  const peek = work.cached;
  return deps.admissions.admit({
    device: bound,
    nonce: auth.nonce,
    signedAt: auth.timestamp,
    ip,
    now,
    countsAddress: work.countsAddress,
    read: work.read,
    ...(work.audit ? { audit: work.audit } : {}),
    ...(peek ? { cached: () => peek(bound, ip, now) } : {}),
  });
}

type Checked =
  | { auth: RequestAuthentication; bound: BoundDevice; refused?: undefined }
  | { auth: RequestAuthentication; bound: BoundDevice | undefined; refused: CofferError };

/**
 * Headers, the device and its signature. A stale timestamp or a signature that does not verify
 * — which includes every request of an unknown device — is answered as `refused`, to be audited
 * in a batch; malformed headers throw.
 */
async function checkSignature(
  deps: DeviceAuthDeps,
  request: FastifyRequest,
  body: Uint8Array,
  now: number,
): Promise<Checked> {
  const auth = parseRequestHeaders(request.headers);
  const bound = await deps.devices.find(auth.deviceId);
  const host = deps.publicHost ?? request.headers.host?.toLowerCase();
  if (host === undefined) throw new CofferError('unauthenticated', 'Request has no Host header.');
  try {
    await deps.verifier.verifyOffThread(
      auth,
      { method: request.method, pathWithQuery: request.url, host, body },
      bound?.signingPublicKey ?? keyForUnknownDevices(),
      Math.floor(now / 1000),
    );
  } catch (error) {
    if (isCofferError(error, 'stale_timestamp') || isCofferError(error, 'bad_signature')) {
      return { auth, bound, refused: error };
    }
    throw error;
  }
  if (!bound) return { auth, bound, refused: badSignature() };
  return { auth, bound };
}
