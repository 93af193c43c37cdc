import { z } from 'zod';
import { DESKTOP_REDIRECT_MODES, PKCE_POLICIES } from '../protocol/identity-provider.ts';

/**
 * The session API's answers (server/auth, server/keys, server/vault), as the client accepts
 * them. Objects are loose where the server may add members later, and every member the client
 * reads is typed and bounded: the server is not trusted with the shape of what it returns.
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

export const providersResponse = z.object({
  providers: z
    .array(
      z.object({
        issuer: z.string().url().max(2048),
        clientIds: z.array(z.string().min(1).max(256)).min(1).max(32),
        // A server from before these settings sends neither: the strict defaults apply.
        desktopRedirect: z.enum(DESKTOP_REDIRECT_MODES).default('per-attempt-path'),
        pkce: z.enum(PKCE_POLICIES).default('advertised'),
      }),
    )
    .max(32),
});
export type ProviderInfo = z.infer<typeof providersResponse>['providers'][number];

export const nonceResponse = z.object({ nonce: b64u(256), expiresAt: counter });

export const signInResponse = z.object({
  token: b64u(512),
  expiresAt: counter,
  user: z.object({
    id: serverId,
    isAdmin: z.boolean(),
    email: z.string().max(320).nullable(),
  }),
  hasAccountKeys: z.boolean(),
});
export type SignInResponse = z.infer<typeof signInResponse>;

/** Account keys as server/keys stores them; mapped to shared/protocol's form by account-keys.ts. */
export const serverAccountKeys = z.object({
  revision: positive,
  kdf: z.object({
    algorithm: z.string().max(32),
    memoryKiB: z.number().int(),
    iterations: z.number().int(),
    parallelism: z.number().int(),
  }),
  salt: b64u(128),
  wrappedUserKey: b64u(8192),
  publicKeys: z.object({ ecdh: b64u(8192), ecdsa: b64u(8192) }),
  wrappedPrivateKeys: z.object({ ecdh: b64u(8192), ecdsa: b64u(8192) }),
});
export type ServerAccountKeys = z.infer<typeof serverAccountKeys>;

export const revisionResponse = z.object({ revision: positive });

const liveFolder = z.object({
  id: serverId,
  rootId: serverId,
  revision: positive,
  seq: counter,
  deleted: z.literal(false),
  parentId: serverId.nullable(),
  name: b64u(8192),
  keyVersion: positive.optional(),
  updatedAt: counter,
});
const deadFolder = z.object({
  id: serverId,
  rootId: serverId,
  revision: positive,
  seq: counter,
  deleted: z.literal(true),
});
export const folderView = z.discriminatedUnion('deleted', [liveFolder, deadFolder]);
export type FolderView = z.infer<typeof folderView>;

const liveRecord = z.object({
  id: serverId,
  rootId: serverId,
  revision: positive,
  seq: counter,
  deleted: z.literal(false),
  folderId: serverId,
  ciphertext: b64u(9 * 1024 * 1024),
  updatedAt: counter,
});
const deadRecord = z.object({
  id: serverId,
  rootId: serverId,
  revision: positive,
  seq: counter,
  deleted: z.literal(true),
});
export const recordView = z.discriminatedUnion('deleted', [liveRecord, deadRecord]);
export type RecordView = z.infer<typeof recordView>;

export const membershipView = z.object({
  folderId: serverId,
  role: z.string().max(32),
  wrappedKey: b64u(8192),
  keyVersion: positive,
});
export type MembershipView = z.infer<typeof membershipView>;

export const syncResponse = z.object({
  cursor: counter,
  more: z.boolean(),
  memberships: z.array(membershipView).max(100_000),
  folders: z.array(folderView).max(1_000_000),
  records: z.array(recordView).max(1_000_000),
});
export type SyncResponse = z.infer<typeof syncResponse>;

export const emptyResponse = z.union([z.null(), z.object({}).strict()]);
