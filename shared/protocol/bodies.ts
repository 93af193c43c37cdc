import { z } from 'zod';
import {
  base64UrlBlob,
  base64UrlBytes,
  cidrField,
  displayNameField,
  idField,
  keyVersionField,
  p256PublicKeyField,
  protocolField,
  unixSecondsField,
} from './fields.ts';

/**
 * JSON bodies of the device-token and account-key exchanges. Objects are strict: an unknown
 * member is an error rather than silently dropped, so a confused or hostile peer is noticed.
 * Each is built on its first use (`z.lazy`), for the `coffer` CLI's start-up (issue #5).
 */

/** A sealed blob of DESIGN.md wrapping a 32-byte key is 61 bytes; leave room for larger keys. */
const wrappedKeyField = base64UrlBlob(4096);

/** The most address ranges one device's IP rule may allow. */
export const IP_RULE_MAX_RANGES = 64;

/** First-use (default): the redeeming address is the only one allowed afterwards. */
export const ipRuleSchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('first-use') }),
    z.strictObject({
      type: z.literal('cidr'),
      allow: z.array(cidrField).min(1).max(IP_RULE_MAX_RANGES),
    }),
    z.strictObject({ type: z.literal('none') }),
  ]),
);
export type IpRule = z.infer<typeof ipRuleSchema>;

/** Manager's app → server when issuing a one-time device token. The token itself never travels. */
export const deviceTokenRegistrationSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    appId: idField,
    deviceId: idField,
    name: displayNameField,
    bindProofKey: base64UrlBytes(32),
    appKeyVersion: keyVersionField,
    /** The app key sealed under the token-derived wrap key (AAD "device-app-key"). */
    wrappedAppKey: wrappedKeyField,
    /** Redemption is possible while the server clock is before this instant (Unix seconds). */
    firstAccessDeadline: unixSecondsField,
    accessExpiry: unixSecondsField.optional(),
    ipRule: ipRuleSchema,
  }),
);
export type DeviceTokenRegistration = z.infer<typeof deviceTokenRegistrationSchema>;

/** Device → server when redeeming (`coffer init`). */
export const redemptionRequestSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    deviceId: idField,
    signingPublicKey: p256PublicKeyField,
    ecdhPublicKey: p256PublicKeyField,
    /** HMAC-SHA-256 bind proof (bind-proof.ts). */
    proof: base64UrlBytes(32),
  }),
);
export type RedemptionRequest = z.infer<typeof redemptionRequestSchema>;

/** Server → device after a successful binding. */
export const redemptionResponseSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    deviceId: idField,
    appId: idField,
    appKeyVersion: keyVersionField,
    wrappedAppKey: wrappedKeyField,
  }),
);
export type RedemptionResponse = z.infer<typeof redemptionResponseSchema>;

/**
 * An account's wrapped keys as the server stores and returns them. KDF numbers are only
 * type-checked here; their floor and ceiling are enforced by shared/keys before any derivation,
 * with their own error codes (SECURITY-CASES CR-01). Nothing here has a default.
 */
export const accountKeysSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    accountId: idField,
    kdf: z.strictObject({
      algorithm: z.string().max(32),
      memoryKiB: z.int(),
      passes: z.int(),
      lanes: z.int(),
      salt: base64UrlBlob(64),
    }),
    wrappedUserKey: wrappedKeyField,
    encryption: z.strictObject({
      publicKey: p256PublicKeyField,
      wrappedPrivateKey: wrappedKeyField,
    }),
    signing: z.strictObject({ publicKey: p256PublicKeyField, wrappedPrivateKey: wrappedKeyField }),
  }),
);
export type AccountKeys = z.infer<typeof accountKeysSchema>;
