import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { ProblemError } from '../http/problem.ts';
import type { Enrolment, PasswordChange } from './schemas.ts';

interface KeyRow extends Record<string, unknown> {
  revision: number;
  kdf: string;
  salt: string;
  wrapped_user_key: string;
  public_keys: string;
  wrapped_private_keys: string;
}

export interface AccountKeys extends Enrolment {
  revision: number;
}

function toKeys(row: KeyRow): AccountKeys {
  return {
    revision: row.revision,
    kdf: JSON.parse(row.kdf) as AccountKeys['kdf'],
    salt: row.salt,
    wrappedUserKey: row.wrapped_user_key,
    publicKeys: JSON.parse(row.public_keys) as AccountKeys['publicKeys'],
    wrappedPrivateKeys: JSON.parse(row.wrapped_private_keys) as AccountKeys['wrappedPrivateKeys'],
  };
}

export async function fetchAccountKeys(db: Queryable, userId: string): Promise<AccountKeys> {
  const row = await db.get<KeyRow>('SELECT * FROM account_keys WHERE user_id = ?', [userId]);
  if (!row) throw new CofferError('not_found', 'This account has no keys yet: enrol first');
  return toKeys(row);
}

/** Enrolment happens once; a second attempt changes nothing, whatever it carries. */
export async function enrolAccountKeys(
  tx: Queryable,
  userId: string,
  keys: Enrolment,
  now: number,
): Promise<{ revision: number }> {
  const inserted = await tx.run(
    `INSERT INTO account_keys (user_id, revision, kdf, salt, wrapped_user_key, public_keys,
       wrapped_private_keys, created_at, updated_at)
     VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING`,
    [
      userId,
      JSON.stringify(keys.kdf),
      keys.salt,
      keys.wrappedUserKey,
      JSON.stringify(keys.publicKeys),
      JSON.stringify(keys.wrappedPrivateKeys),
      now,
      now,
    ],
  );
  if (inserted !== 1) {
    throw new CofferError(
      'account_keys_exist',
      'This account already has keys; change the password instead',
    );
  }
  return { revision: 1 };
}

/**
 * Replaces the KDF parameters, salt and user-key wrap in one compare-and-swap: the new revision
 * must be the stored one plus one, so two devices changing the password at once cannot leave a
 * wrap that matches neither password.
 */
export async function changeMasterPassword(
  tx: Queryable,
  userId: string,
  change: PasswordChange,
  now: number,
): Promise<{ revision: number }> {
  const updated = await tx.run(
    `UPDATE account_keys SET revision = ?, kdf = ?, salt = ?, wrapped_user_key = ?, updated_at = ?
     WHERE user_id = ? AND revision = ?`,
    [
      change.revision,
      JSON.stringify(change.kdf),
      change.salt,
      change.wrappedUserKey,
      now,
      userId,
      change.revision - 1,
    ],
  );
  if (updated === 1) return { revision: change.revision };
  const current = await tx.get<{ revision: number }>(
    'SELECT revision FROM account_keys WHERE user_id = ?',
    [userId],
  );
  if (!current) throw new CofferError('not_found', 'This account has no keys yet: enrol first');
  throw new ProblemError(
    'revision_conflict',
    'The account keys changed since they were read; fetch them and retry',
    { currentRevision: current.revision },
  );
}
