import { importAeadKey, randomBytes, seal, toBase64Url } from '../crypto/index.ts';
import {
  deviceTokenRegistrationSchema,
  type DeviceTokenRegistration,
  type IpRule,
} from '../protocol/bodies.ts';
import { formatDeviceToken, DEVICE_TOKEN_SECRET_BYTES } from '../protocol/device-token.ts';
import { deriveDeviceTokenKeys } from '../protocol/device-token-keys.ts';
import { parseBody } from '../protocol/parse-body.ts';
import { checkFirstAccessDeadline } from '../protocol/token-lifetime.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import { appKeyAad, deviceAppKeyAad } from './bindings.ts';
import { openRawKey } from './versioned-keys.ts';
import type { Vault } from './vault.ts';

export interface MintOptions {
  /** Origin of the server the device will redeem at; carried inside the token. */
  readonly origin: string;
  readonly appId: string;
  readonly appKeyVersion: number;
  /** The app key as wrapped under this manager's user key. */
  readonly wrappedAppKey: Uint8Array;
  readonly name: string;
  readonly firstAccessDeadline: number;
  readonly accessExpiry?: number;
  readonly ipRule: IpRule;
  /** Server-independent "now" for the deadline check, Unix seconds. */
  readonly nowSeconds: number;
}

export interface MintedDeviceToken {
  /** Shown once to the manager; never sent to the server, never logged. */
  readonly token: string;
  /** What the server receives: device id, bind-proof key and the token-wrapped app key. */
  readonly registration: DeviceTokenRegistration;
}

/**
 * Issues a one-time device token in the manager's app (DESIGN.md "Issuing a token"): 32 random
 * bytes become the token string; from them the device id, the bind-proof key and the key that
 * wraps the app key for the device are derived. The server can check a bind proof but cannot
 * unwrap the app key, because the wrap key is derived under a label it never learns the input of.
 */
export async function mintDeviceToken(
  vault: Vault,
  options: MintOptions,
): Promise<MintedDeviceToken> {
  checkFirstAccessDeadline(options.firstAccessDeadline, options.nowSeconds);
  const appKey = await openRawKey(
    vault.userKey,
    options.wrappedAppKey,
    appKeyAad(options.appId, options.appKeyVersion),
  );
  const secret = randomBytes(DEVICE_TOKEN_SECRET_BYTES);
  try {
    const token = formatDeviceToken(options.origin, secret);
    const derived = await deriveDeviceTokenKeys(secret);
    try {
      const wrapKey = await importAeadKey(derived.appKeyWrapKey);
      const wrappedForDevice = await seal(
        wrapKey,
        appKey,
        deviceAppKeyAad(derived.deviceId, options.appId, options.appKeyVersion),
      );
      const registration = parseBody(
        deviceTokenRegistrationSchema,
        {
          protocol: PROTOCOL_VERSION,
          appId: options.appId,
          deviceId: derived.deviceId,
          name: options.name,
          bindProofKey: toBase64Url(derived.bindProofKey),
          appKeyVersion: options.appKeyVersion,
          wrappedAppKey: toBase64Url(wrappedForDevice),
          firstAccessDeadline: options.firstAccessDeadline,
          ...(options.accessExpiry === undefined ? {} : { accessExpiry: options.accessExpiry }),
          ipRule: options.ipRule,
        },
        'Device token registration',
      );
      return { token, registration };
    } finally {
      derived.bindProofKey.fill(0);
      derived.appKeyWrapKey.fill(0);
    }
  } finally {
    secret.fill(0);
    appKey.fill(0);
  }
}
