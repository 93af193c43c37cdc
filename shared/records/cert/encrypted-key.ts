/**
 * Encrypted private keys: PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 §3) and the legacy OpenSSL PEM
 * encryption ("Proc-Type: 4,ENCRYPTED" with DEK-Info, key from EVP_BytesToKey with MD5).
 */
import { md5 } from '@noble/hashes/legacy.js';
import { CofferError } from '../../errors.ts';
import { concatBytes } from './bytes.ts';
import { AsnError, octetString, parseDer, sequence } from '../asn1/der.ts';
import { DecryptionFailed, cbcDecrypt, decryptWithPassword } from './pbe.ts';
import type { LegacyCipher } from './legacy-ciphers.ts';

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
  let algorithm;
  let data;
  try {
    [algorithm, data] = sequence(parseDer(der), 'EncryptedPrivateKeyInfo');
  } catch (error) {
    throw new CofferError('key_malformed', `${what} is not a valid encrypted private key.`, {
      cause: error,
    });
  }
  if (passphrase === undefined) throw passphraseRequired(what);
  const ciphertext = octetString(data, 'encryptedData');
  return decryptWithPassword(algorithm, ciphertext, { text: passphrase }, what);
}

const DEK_CIPHERS: Readonly<
  Record<string, { cipher: 'AES-CBC' | LegacyCipher; keyLength: number }>
> = {
  'AES-128-CBC': { cipher: 'AES-CBC', keyLength: 16 },
  'AES-192-CBC': { cipher: 'AES-CBC', keyLength: 24 },
  'AES-256-CBC': { cipher: 'AES-CBC', keyLength: 32 },
  'DES-EDE3-CBC': { cipher: '3DES-CBC', keyLength: 24 },
  'DES-CBC': { cipher: 'DES-CBC', keyLength: 8 },
};

/** OpenSSL's EVP_BytesToKey with MD5 and one iteration, as its PEM encryption uses. */
function bytesToKey(password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  let block = new Uint8Array();
  let out = new Uint8Array();
  while (out.length < length) {
    block = md5(concatBytes(block, password, salt));
    out = concatBytes(out, block);
  }
  return out.subarray(0, length);
}

/** Decrypts a PEM body protected by RFC 1421-style headers; returns the inner DER. */
export async function decryptLegacyPem(
  headers: ReadonlyMap<string, string>,
  body: Uint8Array,
  passphrase: string | undefined,
  what: string,
): Promise<Uint8Array> {
  const [name = '', ivHex = ''] = (headers.get('DEK-Info') ?? '')
    .split(',')
    .map((part) => part.trim());
  const spec = Object.hasOwn(DEK_CIPHERS, name.toUpperCase())
    ? DEK_CIPHERS[name.toUpperCase()]
    : undefined;
  if (spec === undefined) {
    throw new CofferError(
      'unsupported_algorithm',
      `${what} is encrypted with an unsupported cipher (${name.slice(0, 40) || 'none named'}).`,
    );
  }
  if (!/^([0-9a-fA-F]{2})+$/.test(ivHex)) {
    throw new CofferError('pem_block_damaged', `${what} has a DEK-Info header without a valid IV.`);
  }
  const blockSize = spec.cipher === 'AES-CBC' ? 16 : 8;
  if (body.length === 0 || body.length % blockSize !== 0) {
    // A cut-off body would otherwise look like a wrong passphrase.
    throw new CofferError(
      'pem_block_damaged',
      `${what} is truncated: its ciphertext is not whole blocks.`,
    );
  }
  if (passphrase === undefined) throw passphraseRequired(what);
  const iv = Uint8Array.from(ivHex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  const key = bytesToKey(new TextEncoder().encode(passphrase), iv.subarray(0, 8), spec.keyLength);
  return cbcDecrypt(spec.cipher, key, iv, body);
}
