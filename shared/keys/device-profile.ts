import { z } from 'zod';
import {
  base64UrlBlob,
  base64UrlBytes,
  idField,
  keyVersionField,
  p256PublicKeyField,
  protocolField,
} from '../protocol/fields.ts';
import { isCanonicalServerOrigin } from '../protocol/origin.ts';

/**
 * What a device keeps in its configuration. Written as "pending" before the redemption request
 * is sent (so a crash after the server binds does not lose the new key pairs), and completed with
 * the app key afterwards. It holds private keys and the app key: readable by its owner only,
 * and never logged.
 */
const keyPairField = z.lazy(() =>
  z.strictObject({
    publicKey: p256PublicKeyField,
    /** PKCS#8, base64url. */
    privateKey: base64UrlBlob(512),
  }),
);

const originField = z
  .string()
  .refine(isCanonicalServerOrigin, 'must be a canonical https server origin');

// Both built on first use (`z.lazy`): the `coffer` CLI's start-up (issue #5).

export const pendingDeviceSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    origin: originField,
    deviceId: idField,
    /** Token-derived key that will unwrap the app key the server returns. */
    appKeyWrapKey: base64UrlBytes(32),
    signing: keyPairField,
    encryption: keyPairField,
  }),
);
export type PendingDevice = z.infer<typeof pendingDeviceSchema>;

export const deviceProfileSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    origin: originField,
    deviceId: idField,
    appId: idField,
    appKeyVersion: keyVersionField,
    appKey: base64UrlBytes(32),
    signing: keyPairField,
    encryption: keyPairField,
  }),
);
export type DeviceProfile = z.infer<typeof deviceProfileSchema>;
