import bcryptPbkdf from 'bcrypt-pbkdf';
import { CofferError } from '../../errors.ts';

/**
 * bcrypt-pbkdf as OpenSSH uses it for key files (PROTOCOL.key, bcrypt_pbkdf.c). Rounds come
 * from the file, so they are capped: a crafted key must not freeze the app for minutes.
 * ssh-keygen defaults to 16 rounds (about 0.3 s here); 1024 is already about 20 s.
 */
export const BCRYPT_MAX_ROUNDS = 1024;

export function bcryptKdf(
  passphrase: Uint8Array,
  salt: Uint8Array,
  rounds: number,
  length: number,
): Uint8Array {
  if (rounds < 1 || rounds > BCRYPT_MAX_ROUNDS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The key file asks for ${rounds} bcrypt rounds; Coffer accepts 1–${BCRYPT_MAX_ROUNDS}`,
    );
  }
  if (salt.length === 0 || salt.length > 1024) {
    throw new CofferError('ssh_key_damaged', 'The key file bcrypt salt has an invalid length');
  }
  const out = new Uint8Array(length);
  if (bcryptPbkdf.pbkdf(passphrase, passphrase.length, salt, salt.length, out, length, rounds)) {
    throw new CofferError('ssh_key_damaged', 'The key file bcrypt parameters are invalid');
  }
  return out;
}
