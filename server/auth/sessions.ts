import type { FastifyRequest } from 'fastify';
import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { randomToken, sha256Hex } from './random.ts';

export interface Session {
  userId: string;
  isAdmin: boolean;
  /** The stored hash, which identifies the session for sign-out; the token itself is not kept. */
  tokenHash: string;
  expiresAt: number;
}

/** A recognisable prefix lets secret scanners find a leaked session token. */
const TOKEN_PREFIX = 'coffer_s_';

export async function createSession(
  tx: Queryable,
  userId: string,
  now: number,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = TOKEN_PREFIX + randomToken();
  const expiresAt = now + ttlSeconds * 1000;
  await tx.run(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    [sha256Hex(token), userId, now, expiresAt],
  );
  return { token, expiresAt };
}

interface SessionRow extends Record<string, unknown> {
  user_id: string;
  is_admin: number;
  expires_at: number;
}

/** Every failure answers the same, so a caller cannot tell an expired token from a forged one. */
const refused = () =>
  new CofferError('unauthenticated', 'Sign in first: the session token is missing or invalid');

export async function authenticateSession(
  db: Queryable,
  request: FastifyRequest,
  now: number,
): Promise<Session> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
  const token = match?.[1];
  if (!token?.startsWith(TOKEN_PREFIX)) throw refused();
  const tokenHash = sha256Hex(token);
  const row = await db.get<SessionRow>(
    `SELECT s.user_id, s.expires_at, u.is_admin FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?`,
    [tokenHash, now],
  );
  if (!row) throw refused();
  return { userId: row.user_id, isAdmin: row.is_admin === 1, tokenHash, expiresAt: row.expires_at };
}

export async function revokeSession(db: Queryable, tokenHash: string, now: number): Promise<void> {
  await db.run('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL', [
    now,
    tokenHash,
  ]);
}
