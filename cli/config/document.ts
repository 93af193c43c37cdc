import { z } from 'zod';
import { CofferError } from '../../shared/errors.ts';
import { deviceProfileSchema, pendingDeviceSchema } from '../../shared/keys/device-profile.ts';
import { ipRuleSchema } from '../../shared/protocol/bodies.ts';
import { displayNameField, idField, unixSecondsField } from '../../shared/protocol/fields.ts';

/**
 * The device configuration as stored in a profile file or carried in COFFER_CONFIG. It holds the
 * device's private keys and the app key: a credential, never logged, owner-only on disk.
 */

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function assertProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new CofferError(
      'cli_usage',
      'A profile name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or ' +
        'digit.',
    );
  }
}

// Schemas are built on first use (`z.lazy`): every command parses a document, but start-up
// should pay only for what it parses (issue #5).

/** What the server told the device at redemption, for `coffer status` offline. */
export const deviceInfoSchema = z.lazy(() =>
  z.strictObject({
    appName: displayNameField,
    deviceName: displayNameField,
    accessExpiry: unixSecondsField.nullable(),
    ipRule: ipRuleSchema,
    boundAddress: z.string().max(45),
    redeemedAt: unixSecondsField,
  }),
);
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

const FORMAT = 'coffer-device-config';

export const pendingDocumentSchema = z.lazy(() =>
  z.strictObject({
    format: z.literal(FORMAT),
    version: z.literal(1),
    state: z.literal('pending'),
    pending: pendingDeviceSchema,
  }),
);

export const activeDocumentSchema = z.lazy(() =>
  z.strictObject({
    format: z.literal(FORMAT),
    version: z.literal(1),
    state: z.literal('active'),
    profile: deviceProfileSchema,
    info: deviceInfoSchema,
    /**
     * Written by versions that kept the keys of a revoked device beside this mark. Still read,
     * only so that ProfileStore replaces such a profile with a tombstone.
     */
    revokedAt: unixSecondsField.optional(),
  }),
);

/**
 * What is left of a profile once the server answered `device_revoked`: which device it was and
 * when, and no key. Erasing the keys is what makes the revocation hold on the device itself:
 * without the app key, a copy of the offline cache (which it seals) cannot be opened, however
 * the file is edited. A revoked device is never reinstated.
 */
export const revokedDocumentSchema = z.lazy(() =>
  z.strictObject({
    format: z.literal(FORMAT),
    version: z.literal(1),
    state: z.literal('revoked'),
    origin: z.string().max(2048),
    deviceId: idField,
    appName: displayNameField,
    revokedAt: unixSecondsField,
  }),
);

export const configDocumentSchema = z.discriminatedUnion('state', [
  pendingDocumentSchema,
  activeDocumentSchema,
  revokedDocumentSchema,
]);
export type ConfigDocument = z.infer<typeof configDocumentSchema>;
export type ActiveDocument = z.infer<typeof activeDocumentSchema>;
export type PendingDocument = z.infer<typeof pendingDocumentSchema>;
export type RevokedDocument = z.infer<typeof revokedDocumentSchema>;

export function pendingDocument(pending: PendingDocument['pending']): PendingDocument {
  return { format: FORMAT, version: 1, state: 'pending', pending };
}

/** The tombstone that replaces `document` once its device is revoked: no key survives. */
export function revokedDocument(document: ActiveDocument, atSeconds: number): RevokedDocument {
  return {
    format: FORMAT,
    version: 1,
    state: 'revoked',
    origin: document.profile.origin,
    deviceId: document.profile.deviceId,
    appName: document.info.appName,
    revokedAt: document.revokedAt ?? atSeconds,
  };
}

export function activeDocument(
  profile: ActiveDocument['profile'],
  info: DeviceInfo,
): ActiveDocument {
  return { format: FORMAT, version: 1, state: 'active', profile, info };
}

/** Parses a stored document; `what` names where it came from, never its content. */
export function parseDocument(text: string, what: string): ConfigDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CofferError('config_invalid', `${what} is not valid JSON.`, { cause: error });
  }
  // The state's own schema when it names one: what the union would pick, without building the
  // other (start-up, issue #5).
  const state = (json as { state?: unknown } | null)?.state;
  const schema: z.ZodType<ConfigDocument> =
    state === 'active'
      ? activeDocumentSchema
      : state === 'pending'
        ? pendingDocumentSchema
        : state === 'revoked'
          ? revokedDocumentSchema
          : configDocumentSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // Only a tombstone names its device at the top level (an active document's is in `profile`).
    const shape = json as { deviceId?: unknown; profile?: unknown } | null;
    if (state !== 'revoked' && shape?.deviceId !== undefined && shape.profile === undefined) {
      // A tombstone edited to look usable: say what it is rather than which fields are missing.
      throw new CofferError(
        'config_invalid',
        `${what} is what is left of a revoked device: its keys were erased, so it cannot be ` +
          'used again, offline either. Remove it, and ask a manager for a new device token.',
      );
    }
    const fields = parsed.error.issues
      .slice(0, 3)
      .map((issue) => issue.path.join('.') || '(document)')
      .join(', ');
    throw new CofferError(
      'config_invalid',
      `${what} is not a Coffer device configuration (check ${fields}).`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** COFFER_CONFIG: base64url (or standard base64) of the active document's JSON. */
export function encodeConfigVariable(document: ActiveDocument): string {
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64url');
}

export function decodeConfigVariable(value: string): ActiveDocument {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new CofferError(
      'config_invalid',
      'COFFER_CONFIG is not base64; set it to the output of "coffer init --print-config".',
    );
  }
  const document = parseDocument(
    Buffer.from(text, text.includes('+') || text.includes('/') ? 'base64' : 'base64url').toString(
      'utf8',
    ),
    'COFFER_CONFIG',
  );
  if (document.state === 'revoked') {
    throw new CofferError('device_revoked', 'This device has been revoked');
  }
  if (document.state !== 'active') {
    throw new CofferError('config_invalid', 'COFFER_CONFIG holds an unfinished configuration.');
  }
  return document;
}
