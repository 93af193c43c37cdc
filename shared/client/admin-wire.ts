import { z } from 'zod';
import { ipRuleSchema } from '../protocol/bodies.ts';
import { GRANT_MODES } from '../protocol/device-api.ts';

/**
 * Answers of the management API (server/apps, server/audit) as the app accepts them. As in
 * wire.ts, every member the app reads is typed and bounded, and unknown members are tolerated so
 * a newer server can add some: the server is trusted with ids and ciphertext, not with shapes.
 */

const serverId = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be an id');
const b64u = (maxChars: number) =>
  z
    .string()
    .min(1)
    .max(maxChars)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
const counter = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const name = z.string().min(1).max(100);

export const grantView = z.object({
  folderId: serverId,
  mode: z.enum(GRANT_MODES),
  appKeyVersion: positive,
  folderKeyVersion: positive,
  wrappedFolderKey: b64u(8192),
});
export type GrantView = z.infer<typeof grantView>;

export const applicationView = z.object({
  id: serverId,
  name,
  keyVersion: positive,
  disabled: z.boolean(),
  createdAt: counter,
  updatedAt: counter,
  managers: z.array(serverId).max(1000),
  /** This user's wrap of the app key; null for an admin who is not one of its managers. */
  wrappedAppKey: b64u(8192).nullable(),
  wrappedAppKeyVersion: positive.nullable(),
  grants: z.array(grantView).max(10_000),
});
export type ApplicationView = z.infer<typeof applicationView>;

export const applicationList = z.object({ applications: z.array(applicationView).max(100_000) });

/** Deleting an application revokes its devices; the answer says how many. */
export const deletedApplication = z.object({ revokedDevices: counter });

export const DEVICE_STATES = [
  'pending',
  'unredeemed_expired',
  'active',
  'expired',
  'revoked',
] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/**
 * `firstAccessDeadline` and `accessExpiry` are Unix seconds (what the token carries); the times
 * the server stamped itself (`createdAt`, `firstAccessAt`, `lastAccessAt`, `revokedAt`) are
 * Unix milliseconds.
 */
export const deviceView = z.object({
  id: serverId,
  shortId: z.string().max(64),
  appId: serverId,
  name,
  createdAt: counter,
  firstAccessDeadline: counter,
  firstAccessAt: counter.nullable(),
  lastAccessAt: counter.nullable(),
  boundAddress: z.string().max(64).nullable(),
  lastAddress: z.string().max(64).nullable(),
  ipRule: ipRuleSchema,
  accessExpiry: counter.nullable(),
  state: z.enum(DEVICE_STATES),
  revoked: z.boolean(),
  revokedAt: counter.nullable(),
});
export type DeviceView = z.infer<typeof deviceView>;

export const deviceList = z.object({ devices: z.array(deviceView).max(100_000) });

export const auditEventView = z.object({
  seq: positive,
  time: z.string().max(40),
  type: z.string().max(64),
  outcome: z.enum(['success', 'failure']),
  actorUserId: z.string().max(300).optional(),
  actorDeviceId: z.string().max(300).optional(),
  appId: z.string().max(300).optional(),
  deviceId: z.string().max(300).optional(),
  folderId: z.string().max(300).optional(),
  recordId: z.string().max(300).optional(),
  targetUserId: z.string().max(300).optional(),
  reason: z.string().max(300).optional(),
  ip: z.string().max(300),
  details: z.record(z.string(), z.union([z.string().max(300), z.number()])).optional(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEventView = z.infer<typeof auditEventView>;

/**
 * The names a page's events mention (server/audit/names.ts): sign-in e-mails, device and
 * application names, which the server holds in the clear for access control. Display only: the
 * events themselves stay as stored, so what is verified is never what is decorated.
 */
export const auditNames = z.object({
  users: z.record(
    serverId,
    z.object({
      email: z.string().max(320).nullable(),
      // Tell apart two accounts with one e-mail: the provider, and the id's first characters.
      issuer: z.string().max(2048).optional(),
      shortId: z.string().max(64).optional(),
    }),
  ),
  devices: z.record(serverId, z.object({ name: z.string().max(300), appId: serverId })),
  apps: z.record(serverId, z.object({ name: z.string().max(300) })),
});
export type AuditNames = z.infer<typeof auditNames>;

export const auditPage = z.object({
  events: z.array(auditEventView).max(1000),
  /** The next chain-order page's `after`; null on the last page and in newest-first order. */
  nextAfter: counter.nullable(),
  /** The next newest-first page's `before`; null on the last page and in chain order. */
  nextBefore: counter.nullable().default(null),
  names: auditNames.default({ users: {}, devices: {}, apps: {} }),
});
export type AuditPage = z.infer<typeof auditPage>;

const chainHead = z.object({ seq: counter, hash: z.string().max(64) });
export type ChainHead = z.infer<typeof chainHead>;

export const chainVerification = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), count: counter, head: chainHead }),
  z.object({
    ok: z.literal(false),
    index: counter,
    seq: counter,
    problem: z.enum(['missing_row', 'broken_link', 'hash_mismatch', 'head_mismatch']),
    head: chainHead,
  }),
]);
export type ChainVerification = z.infer<typeof chainVerification>;
