import { z } from 'zod';
import { ID_TOKEN_MAX_LENGTH } from '../client/oidc.ts';
import { DESKTOP_REDIRECT_MODES, PKCE_POLICIES } from '../protocol/identity-provider.ts';
import type { IpcChannel, IpcEvent } from './channels.ts';
import { settingsChangeSchema, storedSettingsSchema } from './settings.ts';

/**
 * The typed IPC contract between the renderer and the Electron main process: one request and one
 * result schema per channel, one payload schema per event. Main validates every request against
 * it before a handler runs (SECURITY-CASES EL-06); requests are strict objects, so unknown keys
 * (including `__proto__`) are refused rather than ignored.
 */

const empty = z.strictObject({});

/** RFC 7636 §4.1 and RFC 6749 §10.10: unreserved characters, long enough to be unguessable. */
const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/, 'must be printable ASCII');

export const LOCK_REASONS = ['suspend', 'lock-screen', 'idle', 'shortcut'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

export const IPC_CONTRACT = {
  'clipboard:copy-secret': {
    request: z.strictObject({ text: z.string().min(1).max(65_536) }),
    result: z.strictObject({ clearsInSeconds: z.number().int().positive() }),
  },
  'clipboard:clear': {
    request: empty,
    result: z.strictObject({ cleared: z.boolean() }),
  },
  // A record's web link, opened after the user confirmed it in full (EL-05).
  'links:open': {
    request: z.strictObject({ url: z.string().min(1).max(2048) }),
    result: z.null(),
  },
  // The whole provider half of a desktop sign-in runs in main (RFC 8252 §8.12): discovery, the
  // system browser, the loopback redirect and the code exchange. The page names the provider and
  // the server's login nonce; it gets back the ID token only, never the PKCE verifier or the code.
  'signin:authenticate': {
    request: z.strictObject({
      issuer: z.string().min(1).max(2048),
      /** The server's `pkce` setting for this provider (OA-01). */
      pkce: z.enum(PKCE_POLICIES),
      clientId: printable(256),
      nonce: base64url(22, 128),
      /** The provider's configured loopback path shape (server `desktopRedirect`). */
      desktopRedirect: z.enum(DESKTOP_REDIRECT_MODES),
    }),
    result: z.strictObject({ idToken: z.string().min(1).max(ID_TOKEN_MAX_LENGTH) }),
  },
  'settings:get': {
    request: empty,
    result: storedSettingsSchema,
  },
  'settings:update': {
    request: settingsChangeSchema,
    result: storedSettingsSchema,
  },
} as const satisfies Record<IpcChannel, { request: z.ZodType; result: z.ZodType }>;

export const IPC_EVENT_CONTRACT = {
  'lock:requested': z.strictObject({ reason: z.enum(LOCK_REASONS) }),
} as const satisfies Record<IpcEvent, z.ZodType>;

export type IpcRequest<C extends IpcChannel> = z.infer<(typeof IPC_CONTRACT)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.infer<(typeof IPC_CONTRACT)[C]['result']>;
export type IpcEventPayload<E extends IpcEvent> = z.infer<(typeof IPC_EVENT_CONTRACT)[E]>;
