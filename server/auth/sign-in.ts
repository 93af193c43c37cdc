import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Database, Queryable } from '../db/types.ts';
import type { VerifiedIdentity } from './id-token.ts';
import { consumeLoginNonce } from './nonces.ts';
import { checkSignInAllowed } from './policy.ts';
import { randomId } from './random.ts';
import { createSession } from './sessions.ts';

export interface SignInDeps {
  db: Database;
  audit: Audit;
  verify(token: string): Promise<VerifiedIdentity>;
  now(): number;
  sessionTtlSeconds: number;
}

export interface SignInResult {
  token: string;
  expiresAt: number;
  user: { id: string; isAdmin: boolean; email: string | null };
  hasAccountKeys: boolean;
}

/**
 * Exchanges a verified ID token for a session. The nonce is consumed in the same transaction that
 * provisions the user and creates the session, so a refused sign-in persists nothing and a replayed
 * token finds its nonce gone.
 */
export async function signIn(deps: SignInDeps, idToken: string, ip: string): Promise<SignInResult> {
  let identity: VerifiedIdentity | undefined;
  try {
    identity = await deps.verify(idToken);
    const verified = identity;
    const { isAdmin } = checkSignInAllowed(verified);
    return await deps.db.transaction(async (tx) => {
      const now = deps.now();
      if (!(await consumeLoginNonce(tx, verified.nonce, now))) {
        throw new CofferError(
          'id_token_nonce_invalid',
          'The ID token nonce was not issued by this server, has expired or was already used',
        );
      }
      const userId = await upsertUser(tx, verified, isAdmin, now);
      const session = await createSession(tx, userId, now, deps.sessionTtlSeconds);
      const keys = await tx.get('SELECT revision FROM account_keys WHERE user_id = ?', [userId]);
      await deps.audit.record(tx, { type: 'sign_in', outcome: 'success', ip, userId });
      return {
        ...session,
        user: {
          id: userId,
          isAdmin,
          email: verified.emailVerified ? (verified.email ?? null) : null,
        },
        hasAccountKeys: keys !== undefined,
      };
    });
  } catch (error) {
    await deps.audit.record(deps.db, {
      type: 'sign_in_refused',
      outcome: 'failure',
      ip,
      reason: isCofferError(error) ? error.code : 'internal_error',
      ...(identity ? { issuer: identity.issuer } : {}),
    });
    throw error;
  }
}

/**
 * Users are keyed by (issuer, subject); the admin flag and e-mail follow configuration and the
 * provider on every sign-in. One upsert, so two first sign-ins at once still make one user.
 */
async function upsertUser(
  tx: Queryable,
  identity: VerifiedIdentity,
  isAdmin: boolean,
  now: number,
): Promise<string> {
  const email = identity.emailVerified ? (identity.email ?? null) : null;
  const row = await tx.get<{ id: string }>(
    `INSERT INTO users (id, issuer, subject, email, is_admin, created_at, last_sign_in_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (issuer, subject) DO UPDATE SET
       email = excluded.email,
       is_admin = excluded.is_admin,
       last_sign_in_at = excluded.last_sign_in_at
     RETURNING id`,
    [randomId(), identity.issuer, identity.subject, email, isAdmin ? 1 : 0, now, now],
  );
  if (!row) throw new CofferError('internal_error', 'Provisioning the user returned no row');
  return row.id;
}
