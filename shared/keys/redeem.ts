import {
  fromBase64Url,
  generateEcdhKeyPair,
  generateSigningKeyPair,
  importAeadKey,
  toBase64Url,
  type AeadKey,
} from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { computeBindProof } from '../protocol/bind-proof.ts';
import {
  redemptionRequestSchema,
  redemptionResponseSchema,
  type RedemptionRequest,
} from '../protocol/bodies.ts';
import { parseDeviceToken } from '../protocol/device-token.ts';
import { deriveDeviceTokenKeys } from '../protocol/device-token-keys.ts';
import { parseBody } from '../protocol/parse-body.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import { deviceAppKeyAad } from './bindings.ts';
import {
  deviceProfileSchema,
  pendingDeviceSchema,
  type DeviceProfile,
  type PendingDevice,
} from './device-profile.ts';
import { openRawKey } from './versioned-keys.ts';

export interface PreparedRedemption {
  /** Persist this (owner-only) before sending the request. */
  readonly pending: PendingDevice;
  /** POST this to the origin's redemption endpoint. */
  readonly request: RedemptionRequest;
}

/**
 * Device side of `coffer init`, step one: parse the token (typos are caught here, before the
 * token is spent), make the device's own ECDSA and ECDH key pairs, and prove with the
 * token-derived bind-proof key that these are the keys to bind.
 */
export async function prepareRedemption(tokenText: string): Promise<PreparedRedemption> {
  const token = parseDeviceToken(tokenText);
  const derived = await deriveDeviceTokenKeys(token.secret);
  token.secret.fill(0);
  try {
    const [signing, encryption] = await Promise.all([
      generateSigningKeyPair(),
      generateEcdhKeyPair(),
    ]);
    const proof = await computeBindProof(derived.bindProofKey, {
      deviceId: derived.deviceId,
      signingPublicKey: signing.publicKey,
      ecdhPublicKey: encryption.publicKey,
    });
    const pending = parseBody(
      pendingDeviceSchema,
      {
        protocol: PROTOCOL_VERSION,
        origin: token.origin,
        deviceId: derived.deviceId,
        appKeyWrapKey: toBase64Url(derived.appKeyWrapKey),
        signing: {
          publicKey: toBase64Url(signing.publicKey),
          privateKey: toBase64Url(signing.privateKey),
        },
        encryption: {
          publicKey: toBase64Url(encryption.publicKey),
          privateKey: toBase64Url(encryption.privateKey),
        },
      },
      'Pending device profile',
    );
    signing.privateKey.fill(0);
    encryption.privateKey.fill(0);
    const request = parseBody(
      redemptionRequestSchema,
      {
        protocol: PROTOCOL_VERSION,
        deviceId: derived.deviceId,
        signingPublicKey: pending.signing.publicKey,
        ecdhPublicKey: pending.encryption.publicKey,
        proof: toBase64Url(proof),
      },
      'Redemption request',
    );
    return { pending, request };
  } finally {
    derived.bindProofKey.fill(0);
    derived.appKeyWrapKey.fill(0);
  }
}

/**
 * Step two: unwrap the app key from the server's answer with the token-derived key and complete
 * the profile. An answer for another device, or one whose app key does not open, is refused.
 */
export async function completeRedemption(
  pendingInput: unknown,
  response: unknown,
): Promise<DeviceProfile> {
  const pending = parseBody(pendingDeviceSchema, pendingInput, 'Pending device profile');
  const answer = parseBody(redemptionResponseSchema, response, 'Redemption response');
  if (answer.deviceId !== pending.deviceId) {
    throw new CofferError('invalid_input', 'Redemption response is for a different device.');
  }
  const wrapKeyBytes = fromBase64Url(pending.appKeyWrapKey);
  const wrapKey = await importAeadKey(wrapKeyBytes);
  wrapKeyBytes.fill(0);
  const appKey = await openRawKey(
    wrapKey,
    fromBase64Url(answer.wrappedAppKey),
    deviceAppKeyAad(pending.deviceId, answer.appId, answer.appKeyVersion),
  );
  try {
    return parseBody(
      deviceProfileSchema,
      {
        protocol: PROTOCOL_VERSION,
        origin: pending.origin,
        deviceId: pending.deviceId,
        appId: answer.appId,
        appKeyVersion: answer.appKeyVersion,
        appKey: toBase64Url(appKey),
        signing: pending.signing,
        encryption: pending.encryption,
      },
      'Device profile',
    );
  } finally {
    appKey.fill(0);
  }
}

/** The device's app key from its profile, as an AEAD key for opening folder grants. */
export async function importDeviceAppKey(profile: DeviceProfile): Promise<AeadKey> {
  const raw = fromBase64Url(profile.appKey);
  try {
    return await importAeadKey(raw);
  } finally {
    raw.fill(0);
  }
}
