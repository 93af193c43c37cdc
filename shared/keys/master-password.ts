import { utf8 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';

/**
 * Master-password normalisation, identical at account creation, unlock and change
 * (SECURITY-CASES CR-09):
 *  - Unicode NFC, so an accent typed precomposed (macOS IME, Windows) or decomposed (pasted from
 *    some editors) gives the same key. NFC, not NFKC: full-width "Ａ" stays distinct from "A",
 *    since compatibility folding would silently merge characters the user chose.
 *  - Nothing trimmed or case-folded: leading and trailing spaces are part of the password.
 *  - Unpaired surrogates are refused rather than encoded as U+FFFD, which would make different
 *    inputs collide.
 *  - Empty is refused; the result is capped at 1024 UTF-8 bytes, and input over 4096 UTF-16
 *    code units is refused before normalising so a pasted megabyte never reaches NFC or Argon2.
 *    (The NFD form of any 1024-byte NFC string stays well under 4096 code units.)
 */
export const MASTER_PASSWORD_MAX_BYTES = 1024;
/** Input longer than this, in UTF-16 code units, is refused before normalising (see above). */
export const MASTER_PASSWORD_MAX_INPUT_CODE_UNITS = 4_096;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function prepareMasterPassword(password: string): Uint8Array {
  if (typeof password !== 'string') {
    throw new CofferError('invalid_input', 'Master password must be text.');
  }
  if (password.length === 0) {
    throw new CofferError('master_password_empty', 'Master password is empty.');
  }
  if (password.length > MASTER_PASSWORD_MAX_INPUT_CODE_UNITS) {
    throw new CofferError(
      'master_password_too_long',
      `Master password is too long (limit ${MASTER_PASSWORD_MAX_BYTES} bytes).`,
    );
  }
  if (LONE_SURROGATE.test(password)) {
    throw new CofferError('invalid_input', 'Master password contains an unpaired surrogate.');
  }
  const bytes = utf8(password.normalize('NFC'));
  if (bytes.length > MASTER_PASSWORD_MAX_BYTES) {
    bytes.fill(0);
    throw new CofferError(
      'master_password_too_long',
      `Master password is too long (limit ${MASTER_PASSWORD_MAX_BYTES} bytes).`,
    );
  }
  return bytes;
}
