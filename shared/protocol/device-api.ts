import { z } from 'zod';
import { encodeAad } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { ipRuleSchema, redemptionResponseSchema } from './bodies.ts';
import type { ErrorCode } from './error-codes.ts';
import {
  base64UrlBlob,
  displayNameField,
  idField,
  keyVersionField,
  protocolField,
  unixSecondsField,
} from './fields.ts';
import { assertCofferId, assertCounter, ID_PATTERN } from './ids.ts';

/**
 * The device API (README.md, "Device API"): every route a bound device (the `coffer` CLI and
 * SDK) calls, with its request and response bodies and the error codes it may answer. The server
 * validates requests with these schemas, the device validates responses with them, so both sides
 * fail the same way on the same bytes. Responses carry only ciphertext and access metadata.
 *
 * Each body schema is built on its first use (`z.lazy`): a `coffer get` parses one of them, and
 * building all of them at import was a measurable part of its start-up (issue #5).
 */

export const DEVICE_API_PREFIX = '/api/v1/device';

export const DEVICE_ROUTES = {
  /** Unsigned: the device proves possession of the token with the bind proof instead. */
  redeem: { method: 'POST', path: `${DEVICE_API_PREFIX}/redeem` },
  status: { method: 'GET', path: `${DEVICE_API_PREFIX}/status` },
  vault: { method: 'GET', path: `${DEVICE_API_PREFIX}/vault` },
  createRecord: { method: 'POST', path: `${DEVICE_API_PREFIX}/records` },
  /** `:id` is the record id. */
  updateRecord: { method: 'PUT', path: `${DEVICE_API_PREFIX}/records/:id` },
} as const;

export type DeviceRoute = keyof typeof DEVICE_ROUTES;

/** Refusals every signed route can answer (on top of its own), in the order the server checks. */
export const SIGNED_ROUTE_ERRORS = [
  'unauthenticated',
  'stale_timestamp',
  'bad_signature',
  'request_replayed',
  'device_revoked',
  'application_disabled',
  'device_expired',
  'ip_not_allowed',
  'rate_limited',
  'payload_too_large',
  'invalid_input',
  'internal_error',
  'server_unavailable',
] as const satisfies readonly ErrorCode[];

/** Every code each route may answer. Anything else from a device route is a server bug. */
export const DEVICE_ROUTE_ERRORS = {
  // One answer for every failed redemption (DT-04): used, unknown, expired, wrong IP, bad proof.
  redeem: ['redemption_failed', 'invalid_input', 'rate_limited', 'payload_too_large'],
  status: SIGNED_ROUTE_ERRORS,
  vault: SIGNED_ROUTE_ERRORS,
  createRecord: [...SIGNED_ROUTE_ERRORS, 'not_found', 'read_only_grant', 'conflict'],
  updateRecord: [
    ...SIGNED_ROUTE_ERRORS,
    'not_found',
    'read_only_grant',
    'conflict',
    'revision_conflict',
  ],
} as const satisfies Record<DeviceRoute, readonly ErrorCode[]>;

/** Grant mode of a top-level folder for an application. */
export const GRANT_MODES = ['read-only', 'editable'] as const;
export type GrantMode = (typeof GRANT_MODES)[number];

/** Record and folder-name ciphertexts; the server's storage limits, not tighter. */
export const DEVICE_RECORD_BLOB_MAX = 6 * 1024 * 1024;
export const DEVICE_NAME_BLOB_MAX = 4 * 1024;
const wrappedKeyField = base64UrlBlob(4096);
const revisionField = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const schemaVersionField = z.int().min(1).max(1_000_000);

/** An IPv4 or IPv6 address in text form as the server saw it; shape only, never routed. */
const addressField = z
  .string()
  .min(2)
  .max(45)
  .regex(/^[0-9A-Fa-f.:]+$/, 'must be an IP address');

// ---------------------------------------------------------------------------------------------
// POST /api/v1/device/redeem — request: redemptionRequestSchema (bodies.ts).

/**
 * Server → device after binding: the key fields of bodies.ts's redemption response (what
 * `completeRedemption` consumes; pick them with `redemptionCore`) plus what the device shows
 * in `coffer status` without another round trip.
 */
export const deviceRedeemResponseSchema = z.lazy(() =>
  // unwrap: the object schema itself (its own copy), which `extend` needs.
  redemptionResponseSchema.unwrap().extend({
    appName: displayNameField,
    deviceName: displayNameField,
    /** Unix seconds after which every request is refused with `device_expired`; null: never. */
    accessExpiry: unixSecondsField.nullable(),
    ipRule: ipRuleSchema,
    /** The address the redemption came from; with `first-use` it is the only one allowed. */
    boundAddress: addressField,
  }),
);
export type DeviceRedeemResponse = z.infer<typeof deviceRedeemResponseSchema>;

/** The members `completeRedemption` (shared/keys) takes: its schema is strict. */
export function redemptionCore(response: DeviceRedeemResponse) {
  const { protocol, deviceId, appId, appKeyVersion, wrappedAppKey } = response;
  return { protocol, deviceId, appId, appKeyVersion, wrappedAppKey };
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/device/status — no body.

export const deviceGrantSchema = z.lazy(() =>
  z.strictObject({
    folderId: idField,
    mode: z.enum(GRANT_MODES),
  }),
);

export const deviceStatusResponseSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    deviceId: idField,
    deviceName: displayNameField,
    appId: idField,
    appName: displayNameField,
    /** The app key version the grants are currently wrapped under. */
    appKeyVersion: keyVersionField,
    accessExpiry: unixSecondsField.nullable(),
    ipRule: ipRuleSchema,
    boundAddress: addressField,
    /** Server clock, Unix seconds: lets the device report skew before requests go stale. */
    serverTime: unixSecondsField,
    grants: z.array(deviceGrantSchema).max(1000),
  }),
);
export type DeviceStatusResponse = z.infer<typeof deviceStatusResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /api/v1/device/vault?ids=…&folders=…&cursor=…&limit=…

export const VAULT_QUERY_LIMITS = { ids: 256, folders: 64, pageDefault: 1000, pageMax: 5000 };

/** What the device asks for; every member optional. */
export interface DeviceVaultQuery {
  /** Only these records (those not granted are silently absent, like missing ones). */
  readonly ids?: readonly string[];
  /** Only records in these folders or beneath them (any folder of a granted tree). */
  readonly folders?: readonly string[];
  /** Record id after which the page starts (records come in ascending id order). */
  readonly cursor?: string;
  readonly limit?: number;
}

function idList(max: number, what: string) {
  return z
    .string()
    .max(max * 23)
    .transform((text, ctx) => {
      const items = text.split(',');
      if (items.length > max || !items.every((item) => ID_PATTERN.test(item))) {
        ctx.addIssue({
          code: 'custom',
          message: `must be 1 to ${max} comma-separated ${what} ids`,
        });
        return z.NEVER;
      }
      return items;
    });
}

/** Server side: the query string members as strings, validated and typed. */
export const deviceVaultQuerySchema = z.lazy(() =>
  z.strictObject({
    ids: idList(VAULT_QUERY_LIMITS.ids, 'record').optional(),
    folders: idList(VAULT_QUERY_LIMITS.folders, 'folder').optional(),
    cursor: idField.optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.int().max(VAULT_QUERY_LIMITS.pageMax))
      .optional(),
  }),
);

/**
 * Device side: the request target for a query, members in a fixed order so the same query always
 * signs the same string. Ids need no escaping (base64url and ",").
 */
export function deviceVaultPath(query: DeviceVaultQuery = {}): string {
  const parts: string[] = [];
  const list = (name: string, ids: readonly string[] | undefined, max: number) => {
    if (ids === undefined) return;
    if (ids.length === 0 || ids.length > max) {
      throw new CofferError('invalid_input', `Vault query "${name}" must list 1 to ${max} ids.`);
    }
    for (const id of ids) assertCofferId(id, `Vault query "${name}" entry`);
    parts.push(`${name}=${ids.join(',')}`);
  };
  list('ids', query.ids, VAULT_QUERY_LIMITS.ids);
  list('folders', query.folders, VAULT_QUERY_LIMITS.folders);
  if (query.cursor !== undefined) {
    assertCofferId(query.cursor, 'Vault query cursor');
    parts.push(`cursor=${query.cursor}`);
  }
  if (query.limit !== undefined) {
    assertCounter(query.limit, 'Vault query limit', 1);
    if (query.limit > VAULT_QUERY_LIMITS.pageMax) {
      throw new CofferError('invalid_input', `Vault query limit is at most 5000.`);
    }
    parts.push(`limit=${query.limit}`);
  }
  const path = DEVICE_ROUTES.vault.path;
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

/** A top-level folder granted to the application, with its key wrapped under the app key. */
export const deviceVaultGrantSchema = z.lazy(() =>
  z.strictObject({
    folderId: idField,
    mode: z.enum(GRANT_MODES),
    folderKeyVersion: keyVersionField,
    /** Folder key sealed under the app key, AAD `folder-key-grant` (shared/keys/bindings.ts). */
    wrappedFolderKey: wrappedKeyField,
  }),
);

/** Every folder of the granted trees, top-level ones included. */
export const deviceVaultFolderSchema = z.lazy(() =>
  z.strictObject({
    id: idField,
    /** The granted top-level folder this one belongs to (itself for a top-level folder). */
    rootId: idField,
    /** null for a top-level folder. */
    parentId: idField.nullable(),
    /** Version of the root's folder key the name is sealed under. */
    keyVersion: keyVersionField,
    /** Sealed under the root's folder key, AAD `folder-name` [folderId, keyVersion]. */
    name: base64UrlBlob(DEVICE_NAME_BLOB_MAX),
    revision: revisionField,
  }),
);

export const deviceVaultRecordSchema = z.lazy(() =>
  z.strictObject({
    id: idField,
    /** The folder the record is directly in (bound into its AAD). */
    folderId: idField,
    revision: revisionField,
    /** Version of the root's folder key the record is sealed under. */
    keyVersion: keyVersionField,
    schemaVersion: schemaVersionField,
    /** Sealed under the root's folder key, AAD `record` (shared/keys/bindings.ts). */
    ciphertext: base64UrlBlob(DEVICE_RECORD_BLOB_MAX),
  }),
);

export const deviceVaultResponseSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    appId: idField,
    appKeyVersion: keyVersionField,
    serverTime: unixSecondsField,
    grants: z.array(deviceVaultGrantSchema).max(1000),
    /** Always every folder of every grant: names are needed to resolve folder paths locally. */
    folders: z.array(deviceVaultFolderSchema).max(100_000),
    records: z.array(deviceVaultRecordSchema).max(VAULT_QUERY_LIMITS.pageMax),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: idField.nullable(),
  }),
);
export type DeviceVaultResponse = z.infer<typeof deviceVaultResponseSchema>;
export type DeviceVaultGrant = z.infer<typeof deviceVaultGrantSchema>;
export type DeviceVaultFolder = z.infer<typeof deviceVaultFolderSchema>;
export type DeviceVaultRecord = z.infer<typeof deviceVaultRecordSchema>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/device/records and PUT /api/v1/device/records/:id

function recordWriteFields() {
  return {
    protocol: protocolField,
    folderId: idField,
    keyVersion: keyVersionField,
    schemaVersion: schemaVersionField,
    ciphertext: base64UrlBlob(DEVICE_RECORD_BLOB_MAX),
  };
}

/** Create: the device picks the id (it is bound into the AAD) and starts at revision 1. */
export const deviceRecordCreateSchema = z.lazy(() =>
  z.strictObject({
    ...recordWriteFields(),
    id: idField,
    revision: z.literal(1),
  }),
);
export type DeviceRecordCreate = z.infer<typeof deviceRecordCreateSchema>;

/**
 * Update: `revision` is the stored revision + 1 and is accepted only as a compare-and-swap;
 * `folderId` must be the record's current folder (devices do not move records).
 */
export const deviceRecordUpdateSchema = z.lazy(() =>
  z.strictObject({
    ...recordWriteFields(),
    revision: revisionField.min(2),
  }),
);
export type DeviceRecordUpdate = z.infer<typeof deviceRecordUpdateSchema>;

/** Answer to both writes: what is now stored, without echoing the ciphertext. */
export const deviceRecordWrittenSchema = z.lazy(() =>
  z.strictObject({
    protocol: protocolField,
    id: idField,
    folderId: idField,
    revision: revisionField,
    keyVersion: keyVersionField,
    schemaVersion: schemaVersionField,
  }),
);
export type DeviceRecordWritten = z.infer<typeof deviceRecordWrittenSchema>;

/** Target of an update, the id checked so nothing but an id reaches the path. */
export function deviceRecordPath(recordId: string): string {
  assertCofferId(recordId, 'Record id');
  return DEVICE_ROUTES.updateRecord.path.replace(':id', recordId);
}

/**
 * Associated data of a folder name: sealed under its top-level folder's key, bound to the
 * folder id and that key's version, so the server cannot swap two folders' names.
 * TODO(#4): move into shared/keys/bindings.ts next to the other bindings once the app writes
 * folder names through it; the bytes must stay the same.
 */
export function folderNameAad(folderId: string, keyVersion: number): Uint8Array {
  assertCofferId(folderId, 'Folder id');
  assertCounter(keyVersion, 'Folder key version', 1);
  return encodeAad('folder-name', [folderId, keyVersion]);
}
