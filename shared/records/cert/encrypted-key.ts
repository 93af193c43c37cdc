/**
 * The certificate importer's view of encrypted private keys (PKCS#8 EncryptedPrivateKeyInfo and
 * legacy OpenSSL PEM encryption, both decrypted by ../pkcs): when to ask for a passphrase, and
 * how a failed decryption is reported.
 */
import { CofferError } from '../../errors.ts';
import { AsnError } from '../asn1/der.ts';
import { DecryptionFailed } from '../pkcs/cbc.ts';
import { readLegacyPem } from '../pkcs/legacy-pem.ts';
import { readEncryptedPrivateKeyInfo, readPbeScheme } from '../pkcs/pbe.ts';

export function passphraseRequired(what: string): CofferError {
  return new CofferError(
    'passphrase_required',
    `${what} is encrypted; enter its passphrase to import it.`,
  );
}

export function wrongPassphrase(what: string, cause?: unknown): CofferError {
  return new CofferError('wrong_passphrase', `The passphrase for ${what} is wrong.`, { cause });
}

/**
 * Runs a decryption and turns "no valid plaintext" into wrong_passphrase. `check` must throw when
 * the plaintext is not the expected structure: with CBC, one wrong password in 256 still passes
 * the padding check.
 */
export async function withPassphrase<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof DecryptionFailed || error instanceof AsnError)
      throw wrongPassphrase(what, error);
    if (error instanceof CofferError && error.code === 'key_malformed')
      throw wrongPassphrase(what, error);
    throw error;
  }
}

/** EncryptedPrivateKeyInfo → the PrivateKeyInfo DER inside it. */
export async function decryptPkcs8(
  der: Uint8Array,
  passphrase: string | undefined,
  what: string,
): Promise<Uint8Array> {
  let info;
  try {
    info = readEncryptedPrivateKeyInfo(der);
  } catch (error) {
    throw new CofferError('key_malformed', `${what} is not a valid encrypted private key.`, {
      cause: error,
    });
  }
  if (passphrase === undefined) throw passphraseRequired(what);
  return readPbeScheme(info.algorithm, what).decrypt(info.ciphertext, { text: passphrase });
}

/** Decrypts a PEM body protected by RFC 1421-style headers; returns the inner DER. */
export async function decryptLegacyPem(
  headers: ReadonlyMap<string, string>,
  body: Uint8Array,
  passphrase: string | undefined,
  what: string,
): Promise<Uint8Array> {
  const scheme = readLegacyPem(headers, body, what);
  if (passphrase === undefined) throw passphraseRequired(what);
  return scheme.decrypt(passphrase);
}
