import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { defineRoute } from '../http/route.ts';
import type { ServerContext } from '../context.ts';
import { issueLoginNonce } from './nonces.ts';
import { revokeSession } from './sessions.ts';
import { signIn } from './sign-in.ts';
import type { SignInDeps } from './sign-in.ts';

/**
 * What the app needs to start a sign-in: the name to show when one is set, the issuers, the
 * client ids it may use, how the desktop app shapes its loopback redirect, and whether PKCE
 * support may be taken as verified.
 */
function publicProviders(config: Config) {
  return config.identityProviders.map((p) => ({
    ...(p.name === undefined ? {} : { name: p.name }),
    issuer: p.issuer,
    clientIds: p.clientIds,
    desktopRedirect: p.desktopRedirect,
    pkce: p.pkce,
  }));
}

export function authRoutes(context: ServerContext, signInDeps: SignInDeps) {
  const { db, config, audit, now } = context;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/providers',
      auth: 'none',
      handler: () => Promise.resolve({ providers: publicProviders(config) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/nonce',
      auth: 'none',
      status: 201,
      handler: () => issueLoginNonce(db, now(), config.loginNonceTtlSeconds),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/session',
      auth: 'none',
      status: 201,
      body: z
        .object({
          idToken: z
            .string()
            .min(1)
            .max(16 * 1024),
        })
        .strict(),
      handler: ({ body, ip }) => signIn(signInDeps, body.idToken, ip),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/session',
      auth: 'session',
      handler: ({ session }) =>
        Promise.resolve({
          user: { id: session.userId, isAdmin: session.isAdmin },
          expiresAt: session.expiresAt,
        }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/auth/session',
      auth: 'session',
      status: 204,
      handler: async ({ session, ip }) => {
        await db.transaction(async (tx) => {
          await revokeSession(tx, session.tokenHash, now());
          await audit.record(tx, {
            type: 'sign_out',
            outcome: 'success',
            ip,
            userId: session.userId,
          });
        });
      },
    }),
  ];
}
