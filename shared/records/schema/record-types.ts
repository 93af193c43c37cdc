import { z } from 'zod';
import { customFieldSchema } from './custom-fields.ts';
import { LIMITS, exactText, hostSchema, optionalText, portSchema } from './strings.ts';

/** Version of the record content format; bound into each record's associated data. */
export const RECORD_SCHEMA_VERSION = 1;

/**
 * Members every record has: a title, notes and custom fields. Built on first use, like every
 * schema below: a command that reads one record builds only that record type's schema (the
 * `coffer` CLI's start-up, issue #5); the schemas are the same once built.
 */
let commonMembers: ReturnType<typeof buildCommon> | undefined;
function buildCommon() {
  return {
    schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
    title: exactText(LIMITS.title).refine((value) => value.length > 0, 'must not be empty'),
    notes: optionalText(LIMITS.notes),
    customFields: z
      .array(customFieldSchema)
      .max(LIMITS.customFields, `must hold at most ${LIMITS.customFields} fields`)
      .default([]),
    favorite: z.boolean().default(false),
  };
}
function common() {
  commonMembers ??= buildCommon();
  return commonMembers;
}

/** An otpauth:// (TOTP/HOTP) or steam:// one-time-code secret; parsed by shared/records/totp. */
function otpUri() {
  return exactText(LIMITS.url).refine(
    (value) => value === '' || /^(?:otpauth:\/\/(?:totp|hotp)\/|steam:\/\/)/i.test(value),
    'must be an otpauth://totp/, otpauth://hotp/ or steam:// URI',
  );
}

export const DATABASE_ENGINES = [
  'postgresql',
  'mysql',
  'sqlserver',
  'oracle',
  'mongodb',
  'redis',
] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export const loginSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('login'),
    ...common(),
    username: optionalText(LIMITS.short),
    password: optionalText(LIMITS.secret),
    urls: z
      .array(exactText(LIMITS.url))
      .max(LIMITS.urls, `must hold at most ${LIMITS.urls} URLs`)
      .default([]),
    otp: otpUri().default(''),
  }),
);

export const databaseSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('database'),
    ...common(),
    engine: z.enum(DATABASE_ENGINES),
    host: hostSchema,
    /** Absent: the engine's well-known port (connection-string.ts). */
    port: portSchema.optional(),
    database: optionalText(LIMITS.short),
    username: optionalText(LIMITS.short),
    password: optionalText(LIMITS.secret),
    /** Encrypted and server-verified connections unless turned off. */
    tls: z.boolean().default(true),
  }),
);

export const serverSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('server'),
    ...common(),
    host: hostSchema,
    port: portSchema.optional(),
    username: optionalText(LIMITS.short),
    password: optionalText(LIMITS.secret),
    platform: z.enum(['linux', 'windows', 'macos', 'other']).default('linux'),
  }),
);

/** Key material stays text here; shared/records/ssh parses and fingerprints it. */
export const sshKeySchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('ssh-key'),
    ...common(),
    username: optionalText(LIMITS.short),
    host: hostSchema,
    privateKey: optionalText(LIMITS.pem),
    publicKey: optionalText(LIMITS.pem),
    passphrase: optionalText(LIMITS.secret),
    certificate: optionalText(LIMITS.pem),
  }),
);

/** PEM text; shared/records/cert parses the chain and checks the key. */
export const certificateSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('certificate'),
    ...common(),
    certificateChain: optionalText(LIMITS.pem),
    privateKey: optionalText(LIMITS.pem),
    passphrase: optionalText(LIMITS.secret),
  }),
);

export const apiKeySchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('api-key'),
    ...common(),
    service: optionalText(LIMITS.short),
    keyId: optionalText(LIMITS.short),
    secret: optionalText(LIMITS.secret),
    url: optionalText(LIMITS.url),
  }),
);

export const oneTimeCodeSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('one-time-code'),
    ...common(),
    uri: otpUri().refine((value) => value !== '', 'must not be empty'),
  }),
);

export const secureNoteSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('secure-note'),
    ...common(),
  }),
);

/** The longest card brand, in UTF-16 code units. */
export const CARD_BRAND_MAX = 128;

/** Card data is kept as typed (spaces included) but must look like what each field holds. */
export const paymentCardSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('payment-card'),
    ...common(),
    cardholder: optionalText(LIMITS.short),
    brand: optionalText(CARD_BRAND_MAX),
    number: z
      .string()
      .refine(
        (value) =>
          value === '' || (/^[0-9 -]+$/.test(value) && /^(?:\D*\d){12,19}\D*$/.test(value)),
        'must be 12 to 19 digits (spaces and hyphens allowed)',
      )
      .default(''),
    expiryMonth: z
      .string()
      .regex(/^(?:0[1-9]|1[0-2])?$/, 'must be a month 01 to 12')
      .default(''),
    expiryYear: z
      .string()
      .regex(/^(?:\d{4})?$/, 'must be a four-digit year')
      .default(''),
    securityCode: z
      .string()
      .regex(/^(?:\d{3,4})?$/, 'must be 3 or 4 digits')
      .default(''),
    pin: z
      .string()
      .regex(/^(?:\d{4,12})?$/, 'must be 4 to 12 digits')
      .default(''),
  }),
);

export const RECORD_SCHEMAS = {
  login: loginSchema,
  database: databaseSchema,
  server: serverSchema,
  'ssh-key': sshKeySchema,
  certificate: certificateSchema,
  'api-key': apiKeySchema,
  'one-time-code': oneTimeCodeSchema,
  'secure-note': secureNoteSchema,
  'payment-card': paymentCardSchema,
} as const;

export type RecordType = keyof typeof RECORD_SCHEMAS;
export const RECORD_TYPES = Object.keys(RECORD_SCHEMAS) as RecordType[];

/** Every type at once; it builds all nine on its first parse (parse.ts picks the type first). */
export const recordSchema = z.discriminatedUnion('type', [
  loginSchema,
  databaseSchema,
  serverSchema,
  sshKeySchema,
  certificateSchema,
  apiKeySchema,
  oneTimeCodeSchema,
  secureNoteSchema,
  paymentCardSchema,
]);

export type LoginRecord = z.infer<typeof loginSchema>;
export type DatabaseRecord = z.infer<typeof databaseSchema>;
export type ServerRecord = z.infer<typeof serverSchema>;
export type SshKeyRecord = z.infer<typeof sshKeySchema>;
export type CertificateRecord = z.infer<typeof certificateSchema>;
export type ApiKeyRecord = z.infer<typeof apiKeySchema>;
export type OneTimeCodeRecord = z.infer<typeof oneTimeCodeSchema>;
export type SecureNoteRecord = z.infer<typeof secureNoteSchema>;
export type PaymentCardRecord = z.infer<typeof paymentCardSchema>;
/** A decrypted record: the discriminated union over `type`. */
export type VaultRecord = z.infer<typeof recordSchema>;
/** What a caller may pass in: optional members may be left out and take their defaults. */
export type VaultRecordInput = z.input<typeof recordSchema>;
export type RecordOfType<T extends RecordType> = Extract<VaultRecord, { type: T }>;
