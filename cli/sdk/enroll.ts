import { fromBase64Url, toBase64Url } from '../../shared/crypto/index.ts';
import { isCofferError } from '../../shared/errors.ts';
import type { PendingDevice } from '../../shared/keys/device-profile.ts';
import { completeRedemption, prepareRedemption } from '../../shared/keys/redeem.ts';
import { computeBindProof } from '../../shared/protocol/bind-proof.ts';
import type { RedemptionRequest } from '../../shared/protocol/bodies.ts';
import { redemptionCore } from '../../shared/protocol/device-api.ts';
import { parseDeviceToken } from '../../shared/protocol/device-token.ts';
import { deriveDeviceTokenKeys } from '../../shared/protocol/device-token-keys.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { activeDocument, type ActiveDocument } from '../config/document.ts';
import { DeviceApi } from './api.ts';
import type { RetryOptions } from './retry.ts';
import type { TransportOptions } from './transport.ts';

export interface EnrollOptions {
  readonly token: string;
  /** Persist the pending profile (owner-only) and return what is stored: an earlier pending
   * profile of the same device is reused, so a retry after a crash resends the same keys. */
  readonly savePending: (pending: PendingDevice) => Promise<PendingDevice>;
  /** Called when the token can never complete (refused), to drop the pending profile. */
  readonly dropPending: () => Promise<void>;
  /** Origin to call instead of the token's (COFFER_SERVER). */
  readonly server?: string;
  readonly transport?: TransportOptions;
  readonly retry?: RetryOptions;
  readonly nowSeconds?: () => number;
}

/** The redemption request for stored keys: the bind proof is deterministic (HMAC). */
async function requestFor(token: string, pending: PendingDevice): Promise<RedemptionRequest> {
  const { secret } = parseDeviceToken(token);
  const derived = await deriveDeviceTokenKeys(secret);
  secret.fill(0);
  try {
    const proof = await computeBindProof(derived.bindProofKey, {
      deviceId: pending.deviceId,
      signingPublicKey: fromBase64Url(pending.signing.publicKey),
      ecdhPublicKey: fromBase64Url(pending.encryption.publicKey),
    });
    return {
      protocol: PROTOCOL_VERSION,
      deviceId: pending.deviceId,
      signingPublicKey: pending.signing.publicKey,
      ecdhPublicKey: pending.encryption.publicKey,
      proof: toBase64Url(proof),
    };
  } finally {
    derived.bindProofKey.fill(0);
    derived.appKeyWrapKey.fill(0);
  }
}

/**
 * `coffer init`: the token is parsed first (a typo is caught before anything is spent), the new
 * key pairs are stored as a pending profile, then the token is redeemed and the profile
 * completed. Returns the completed configuration for the caller to store or print.
 */
export async function enrollDevice(options: EnrollOptions): Promise<ActiveDocument> {
  const prepared = await prepareRedemption(options.token);
  const pending = await options.savePending(prepared.pending);
  const request =
    pending.deviceId === prepared.pending.deviceId &&
    pending.signing.publicKey === prepared.pending.signing.publicKey
      ? prepared.request
      : await requestFor(options.token, pending);
  const api = new DeviceApi({
    origin: options.server ?? pending.origin,
    ...(options.transport === undefined ? {} : { transport: options.transport }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.nowSeconds === undefined ? {} : { nowSeconds: options.nowSeconds }),
  });
  let answer;
  try {
    answer = await api.redeem(request);
  } catch (error) {
    if (isCofferError(error, 'redemption_failed')) await options.dropPending();
    throw error;
  }
  const profile = await completeRedemption(pending, redemptionCore(answer));
  return activeDocument(profile, {
    appName: answer.appName,
    deviceName: answer.deviceName,
    accessExpiry: answer.accessExpiry,
    ipRule: answer.ipRule,
    boundAddress: answer.boundAddress,
    redeemedAt: Math.floor(Date.now() / 1000),
  });
}
