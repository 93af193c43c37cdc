import { CofferError } from '../../errors.ts';
import { AsnError } from '../asn1/der.ts';
import { DecryptionFailed } from '../pkcs/cbc.ts';
import { readLegacyPem } from '../pkcs/legacy-pem.ts';
import { readEncryptedPrivateKeyInfo, readPbeScheme, type PbePolicy } from '../pkcs/pbe.ts';
import type { PemBlock } from './text.ts';

/**
 * Encrypted OpenSSL key files as the SSH importer reports them: PKCS #8 EncryptedPrivateKeyInfo
 * and legacy `Proc-Type: 4,ENCRYPTED` PEM, both decrypted by ../pkcs. Damage and unsupported
 * schemes are reported before the passphrase is asked for.
 */

/** ssh-keygen and OpenSSL never write SSH keys with single DES, RC2 or two-key 3DES. */
const SSH_POLICY: PbePolicy = { weakCiphers: false };

function requirePassphrase(passphrase: string | undefined): string {
  if (passphrase === undefined || passphrase === '') {
    throw new CofferError('passphrase_required', 'This SSH key is encrypted: enter its passphrase');
  }
  return passphrase;
}

function wrongPassphrase(error: unknown): unknown {
  if (!(error instanceof DecryptionFailed)) return error;
  return new CofferError('wrong_passphrase', 'Wrong passphrase for this SSH key', { cause: error });
}

/** Decrypts to the inner PrivateKeyInfo DER; padding failure means a wrong passphrase. */
export async function decryptPkcs8(
  der: Uint8Array,
  passphrase: string | undefined,
): Promise<Uint8Array> {
  const what = 'The encrypted PKCS #8 key';
  let info;
  let scheme;
  try {
    info = readEncryptedPrivateKeyInfo(der);
    scheme = readPbeScheme(info.algorithm, what, SSH_POLICY);
  } catch (error) {
    if (!(error instanceof AsnError)) throw error;
    throw new CofferError('ssh_key_damaged', `${what}: ${error.message}`, { cause: error });
  }
  if (info.ciphertext.length === 0 || info.ciphertext.length % scheme.blockSize !== 0) {
    throw new CofferError('ssh_key_damaged', 'The PKCS #8 encrypted data has a partial block');
  }
  const text = requirePassphrase(passphrase);
  try {
    return await scheme.decrypt(info.ciphertext, { text });
  } catch (error) {
    throw wrongPassphrase(error);
  }
}

/** Returns the decrypted DER, or throws wrong_passphrase when the padding is not valid. */
export function decryptLegacyPem(block: PemBlock, passphrase: string | undefined): Uint8Array {
  const scheme = readLegacyPem(block.headers, block.body, `The ${block.label} block`, SSH_POLICY);
  const text = requirePassphrase(passphrase);
  try {
    return scheme.decrypt(text);
  } catch (error) {
    throw wrongPassphrase(error);
  }
}
