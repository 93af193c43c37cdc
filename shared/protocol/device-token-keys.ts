import { hkdfSha256, toBase64Url, utf8 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { DEVICE_TOKEN_SECRET_BYTES } from './device-token.ts';

/**
 * HKDF-SHA-256 (RFC 5869) labels for the three values derived from a device token's secret. The
 * manager's app and the redeeming device compute them identically; the server receives only the
 * device id and the bind-proof key, so it can check the bind proof but never unwrap the app key.
 */
export const DEVICE_TOKEN_HKDF_SALT = 'coffer/device-token/v1';
export const DEVICE_TOKEN_HKDF_INFO = {
  deviceId: 'coffer/device-token/v1/device-id',
  bindProofKey: 'coffer/device-token/v1/bind-proof-key',
  appKeyWrapKey: 'coffer/device-token/v1/app-key-wrap-key',
} as const;

export interface DeviceTokenKeys {
  /** 22-character base64url id, same shape as every other Coffer id. */
  readonly deviceId: string;
  /** 32-byte HMAC-SHA-256 key for the bind proof; given to the server at issue time. */
  readonly bindProofKey: Uint8Array;
  /** 32-byte AES-256-GCM key that wraps the app key for this device; never leaves the devices. */
  readonly appKeyWrapKey: Uint8Array;
}

export async function deriveDeviceTokenKeys(secret: Uint8Array): Promise<DeviceTokenKeys> {
  if (!(secret instanceof Uint8Array) || secret.length !== DEVICE_TOKEN_SECRET_BYTES) {
    throw new CofferError(
      'invalid_input',
      `Device token secret must be ${DEVICE_TOKEN_SECRET_BYTES} bytes.`,
    );
  }
  const salt = utf8(DEVICE_TOKEN_HKDF_SALT);
  const [idBytes, bindProofKey, appKeyWrapKey] = await Promise.all([
    hkdfSha256(secret, salt, DEVICE_TOKEN_HKDF_INFO.deviceId, 16),
    hkdfSha256(secret, salt, DEVICE_TOKEN_HKDF_INFO.bindProofKey, 32),
    hkdfSha256(secret, salt, DEVICE_TOKEN_HKDF_INFO.appKeyWrapKey, 32),
  ]);
  // Clearing the top bit keeps the first base64url character in "A".."f", so a device id never
  // starts with "-" (where a command line would read it as an option), like randomId().
  idBytes[0] = (idBytes[0] ?? 0) & 0x7f;
  return { deviceId: toBase64Url(idBytes), bindProofKey, appKeyWrapKey };
}
