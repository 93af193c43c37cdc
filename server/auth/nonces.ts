import type { Queryable } from '../db/types.ts';
import { randomToken, sha256Hex } from './random.ts';

/**
 * Single-use login nonces. They live in the database so that any replica can consume a nonce
 * another issued, and a consumed nonce is gone for all of them (DESIGN.md "Scaling out").
 */
export async function issueLoginNonce(
  db: Queryable,
  now: number,
  ttlSeconds: number,
): Promise<{ nonce: string; expiresAt: number }> {
  // Expired nonces are swept on each issue; the index on expires_at keeps this a range delete.
  await db.run('DELETE FROM login_nonces WHERE expires_at <= ?', [now]);
  const nonce = randomToken();
  const expiresAt = now + ttlSeconds * 1000;
  await db.run('INSERT INTO login_nonces (nonce_hash, expires_at) VALUES (?, ?)', [
    sha256Hex(nonce),
    expiresAt,
  ]);
  return { nonce, expiresAt };
}

/** Deletes the nonce if it is live; answers whether it was. Only one caller can ever win. */
export async function consumeLoginNonce(
  tx: Queryable,
  nonce: string,
  now: number,
): Promise<boolean> {
  const deleted = await tx.run('DELETE FROM login_nonces WHERE nonce_hash = ? AND expires_at > ?', [
    sha256Hex(nonce),
    now,
  ]);
  return deleted === 1;
}
