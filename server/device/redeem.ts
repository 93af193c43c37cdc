import { randomBytes } from 'node:crypto';
import { fromBase64Url } from '../../shared/crypto/index.ts';
import { CofferError } from '../../shared/errors.ts';
import { verifyBindProof } from '../../shared/protocol/bind-proof.ts';
import type { IpRule, RedemptionRequest } from '../../shared/protocol/bodies.ts';
import type { DeviceRedeemResponse } from '../../shared/protocol/device-api.ts';
import { isBeforeDeadline } from '../../shared/protocol/token-lifetime.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { Audit } from '../audit/audit.ts';
import type { Database } from '../db/types.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { addressAllowed } from './ip-rule.ts';

export interface RedeemDeps {
  db: Database;
  audit: Audit;
  limiter: RateLimiter;
  now(): number;
  redeemPerAddressPerMinute: number;
  redeemPerMinute: number;
}

interface RedeemRow extends Record<string, unknown> {
  id: string;
  app_id: string;
  name: string;
  bind_proof_key: string | null;
  app_key_version: number;
  wrapped_app_key: string | null;
  first_access_deadline: number;
  access_expiry: number | null;
  ip_rule: string;
  redeemed_at: number | null;
  revoked_at: number | null;
  app_name: string;
  disabled: number;
  deleted: number;
}

/** The precise reasons, for the audit log only: outside, every failure looks the same (DT-05). */
type FailureReason =
  | 'unknown_device'
  | 'token_already_used'
  | 'device_revoked'
  | 'bad_proof'
  | 'deadline_passed'
  | 'application_disabled'
  | 'ip_not_allowed';

const redemptionFailed = () =>
  new CofferError(
    'redemption_failed',
    'The device token cannot be redeemed: it is unknown, used, expired, revoked or not allowed ' +
      'from this address. Ask the application manager for a new token.',
  );

/**
 * Binds a device (DESIGN.md "Redeeming"). The bind proof is checked in constant time against the
 * registered key — or a throwaway key when there is none — so unknown, used and valid device ids
 * cost the same. The binding itself is one conditional UPDATE (`redeemed_at IS NULL`) inside the
 * transaction: on PostgreSQL a racing second UPDATE waits for the first and then matches no row,
 * on SQLite the write lock serialises them, so exactly one redemption ever succeeds. The
 * bind-proof key and the token-wrapped app key are erased as the device binds: a used token can
 * never be checked or answered again.
 */
export async function redeemDevice(
  deps: RedeemDeps,
  request: RedemptionRequest,
  ip: string,
): Promise<DeviceRedeemResponse> {
  const started = deps.now();
  await deps.limiter.hit(`redeem-ip:${ip}`, deps.redeemPerAddressPerMinute, 60_000, started);
  await deps.limiter.hit('redeem', deps.redeemPerMinute, 60_000, started);
  const binding = {
    deviceId: request.deviceId,
    signingPublicKey: fromBase64Url(request.signingPublicKey),
    ecdhPublicKey: fromBase64Url(request.ecdhPublicKey),
  };
  const proof = fromBase64Url(request.proof);

  const outcome = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const nowSeconds = Math.floor(now / 1000);
    const row = await tx.get<RedeemRow>(
      `SELECT d.id, d.app_id, d.name, d.bind_proof_key, d.app_key_version, d.wrapped_app_key,
         d.first_access_deadline, d.access_expiry, d.ip_rule, d.redeemed_at, d.revoked_at,
         a.name AS app_name, a.disabled, a.deleted
       FROM devices d JOIN applications a ON a.id = d.app_id WHERE d.id = ?`,
      [request.deviceId],
    );
    const key = row?.bind_proof_key ? fromBase64Url(row.bind_proof_key) : randomBytes(32);
    const proofOk = await verifyBindProof(key, binding, proof);
    key.fill(0);
    const ipRule = row ? (JSON.parse(row.ip_rule) as IpRule) : undefined;
    let reason: FailureReason | undefined;
    if (!row) reason = 'unknown_device';
    else if (row.revoked_at !== null || row.deleted === 1) reason = 'device_revoked';
    else if (row.redeemed_at !== null || row.bind_proof_key === null) reason = 'token_already_used';
    else if (!proofOk) reason = 'bad_proof';
    else if (!isBeforeDeadline(nowSeconds, row.first_access_deadline)) reason = 'deadline_passed';
    else if (row.disabled === 1) reason = 'application_disabled';
    else if (ipRule && !addressAllowed(ipRule, ip, null)) reason = 'ip_not_allowed';

    if (reason === undefined && row) {
      const bound = await tx.run(
        `UPDATE devices SET redeemed_at = ?, bound_address = ?, signing_public_key = ?,
           ecdh_public_key = ?, last_access_at = ?, last_address = ?, bind_proof_key = NULL,
           wrapped_app_key = NULL
         WHERE id = ? AND redeemed_at IS NULL AND revoked_at IS NULL AND first_access_deadline > ?`,
        [now, ip, request.signingPublicKey, request.ecdhPublicKey, now, ip, row.id, nowSeconds],
      );
      if (bound !== 1) reason = 'token_already_used';
    }
    await deps.audit.record(tx, {
      type: reason === undefined ? 'device_redeemed' : 'device_redemption_failed',
      outcome: reason === undefined ? 'success' : 'failure',
      ip,
      deviceId: request.deviceId,
      ...(row ? { appId: row.app_id } : {}),
      ...(reason === undefined ? {} : { reason }),
    });
    if (reason !== undefined || !row || !ipRule || row.wrapped_app_key === null) return undefined;
    const response: DeviceRedeemResponse = {
      protocol: PROTOCOL_VERSION,
      deviceId: row.id,
      appId: row.app_id,
      appKeyVersion: row.app_key_version,
      wrappedAppKey: row.wrapped_app_key,
      appName: row.app_name,
      deviceName: row.name,
      accessExpiry: row.access_expiry,
      ipRule,
      boundAddress: ip,
    };
    return response;
  });
  if (outcome === undefined) throw redemptionFailed();
  return outcome;
}
