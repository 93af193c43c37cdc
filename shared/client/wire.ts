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
        // Shown on the sign-in button (the server allows 64 characters); absent, the renderer
        // names the provider by its issuer.
        name: z.string().max(64).optional(),
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

const SERVER_ID = /^[A-Za-z0-9_-]{22,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const CIPHERTEXT_MAX = 9 * 1024 * 1024;

const isServerId = (value: unknown): value is string =>
  typeof value === 'string' && SERVER_ID.test(value);
const isCount = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * Checks one record view of a sync page member by member exactly as `recordView` checks it,
 * without zod: a page carries up to 5,000 of these and a vault 100,000, and zod's per-member
 * machinery was most of what checking a page cost (issue #4). Answers null when it passes, else
 * the first member that is wrong ('' when it is not an object at all), as a path for the message.
 */
export function recordViewProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const view = value as Record<string, unknown>;
  const { id, rootId, revision, seq, deleted } = view;
  if (!isServerId(id)) return 'id';
  if (!isServerId(rootId)) return 'rootId';
  if (!isCount(revision, 1)) return 'revision';
  if (!isCount(seq, 0)) return 'seq';
  if (deleted === true) return null;
  if (deleted !== false) return 'deleted';
  const { folderId, ciphertext, updatedAt } = view;
  if (!isServerId(folderId)) return 'folderId';
  if (
    typeof ciphertext !== 'string' ||
    ciphertext.length > CIPHERTEXT_MAX ||
    !BASE64URL.test(ciphertext)
  ) {
    return 'ciphertext';
  }
  if (!isCount(updatedAt, 0)) return 'updatedAt';
  return null;
}

/**
 * One record view checked as `recordView` checks it (recordViewProblem), copied with only the
 * members it names (as zod strips the rest); the first wrong member when it fails.
 */
export function readRecordView(value: unknown): RecordView | string {
  const problem = recordViewProblem(value);
  if (problem !== null) return problem;
  const view = value as RecordView;
  const { id, rootId, revision, seq } = view;
  if (view.deleted) return { id, rootId, revision, seq, deleted: true };
  const { folderId, ciphertext, updatedAt } = view;
  return { id, rootId, revision, seq, deleted: false, folderId, ciphertext, updatedAt };
}

const recordViews = z
  .array(z.unknown())
  .max(1_000_000)
  .transform((items, ctx): RecordView[] => {
    const out = new Array<RecordView>(items.length);
    for (let i = 0; i < items.length; i += 1) {
      const view = readRecordView(items[i]);
      if (typeof view === 'string') {
        ctx.addIssue({ code: 'custom', path: view === '' ? [i] : [i, view], message: 'invalid' });
        return z.NEVER;
      }
      out[i] = view;
    }
    return out;
  });

export const syncResponse = z.object({
  cursor: counter,
  more: z.boolean(),
  memberships: z.array(membershipView).max(100_000),
  folders: z.array(folderView).max(1_000_000),
  records: recordViews,
});
export type SyncResponse = z.infer<typeof syncResponse>;

export const emptyResponse = z.union([z.null(), z.object({}).strict()]);
