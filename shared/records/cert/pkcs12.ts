/**
 * PKCS#12 (RFC 7292) reading: password integrity (the MAC), then the safe contents — plain or
 * password-encrypted — and their certificate and key bags. EC keys and certificates are returned
 * as DER and parsed by Coffer's own code, unlike node-forge's PKCS#12 reader, which understands
 * RSA only and leaves other bags undecoded.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { CofferError } from '../../errors.ts';
import { constantTimeEqual as bytesEqual } from '../../crypto/compare.ts';
import {
  AsnError,
  TAG,
  children,
  contextTag,
  decodeOid,
  octetString,
  parseDer,
  sequence,
  smallInteger,
  type Tlv,
} from '../asn1/der.ts';
import { passphraseRequired, wrongPassphrase } from './encrypted-key.ts';
import { OID, unsupportedAlgorithm as unsupported } from '../asn1/oids.ts';
import { DecryptionFailed } from '../pkcs/cbc.ts';
import {
  decryptWithPassword,
  readEncryptedPrivateKeyInfo,
  type PasswordInput,
} from '../pkcs/pbe.ts';
import { KDF_PURPOSE, PKCS12_HASHES, bmpPassword, pkcs12Kdf } from '../pkcs/pkcs12-kdf.ts';

export interface Pkcs12Bag {
  readonly der: Uint8Array;
  readonly friendlyName: string | undefined;
}

export interface Pkcs12Contents {
  readonly certificates: Pkcs12Bag[];
  /** Unencrypted PrivateKeyInfo DER of every key bag. */
  readonly keys: Pkcs12Bag[];
  readonly warnings: string[];
}

const WHAT = 'the PKCS#12 file';
const MAX_NESTING = 4;
/**
 * Each encrypted part (EncryptedData or shrouded key bag) has its own salt and work factor, so
 * the per-derivation caps (pbe.ts, pkcs12-kdf.ts) alone let a crafted file multiply them by its
 * number of bags: 200 bags at 100,000 iterations froze the thread for 45 s. Real files have one
 * or two (OpenSSL: certificates + key); key stores exported from Java have one per entry.
 */
export const MAX_ENCRYPTED_PARTS = 8;

function contentOf(
  contentInfo: Tlv | undefined,
  what: string,
): { type: string; content: Tlv | undefined } {
  const [typeTlv, wrapper] = sequence(contentInfo, what);
  const type = decodeOid(typeTlv, `${what} type`);
  const content = wrapper?.tag === contextTag(0, true) ? children(wrapper)[0] : undefined;
  return { type, content };
}

/** The password forms to try: an empty password has two encodings (see bmpPassword). */
function candidates(passphrase: string | undefined): PasswordInput[] {
  const text = passphrase ?? '';
  if (text !== '') return [{ text }];
  return [
    { text, emptyForm: 'terminated' },
    { text, emptyForm: 'absent' },
  ];
}

/** RFC 7292 §4 MacData; returns the password form that verifies, or undefined. */
function verifyMac(
  macData: Tlv,
  content: Uint8Array,
  forms: PasswordInput[],
): PasswordInput | undefined {
  const [digestInfo, saltTlv, iterationsTlv] = sequence(macData, 'MacData');
  const [algorithm, digestTlv] = sequence(digestInfo, 'MAC DigestInfo');
  const hashOid = decodeOid(sequence(algorithm, 'MAC algorithm')[0], 'MAC algorithm');
  const hash = PKCS12_HASHES[hashOid];
  if (hash === undefined) throw unsupported('The PKCS#12 integrity MAC', hashOid);
  const expected = octetString(digestTlv, 'MAC digest');
  const salt = octetString(saltTlv, 'MAC salt');
  const iterations =
    iterationsTlv === undefined ? 1 : smallInteger(iterationsTlv, 'MAC iterations');
  return forms.find((form) => {
    const password = bmpPassword(form.text, form.emptyForm);
    const key = pkcs12Kdf(hash, password, salt, KDF_PURPOSE.mac, iterations, hash.outputLen);
    return bytesEqual(hmac(hash, key, content), expected);
  });
}

function decodeBmpAttribute(tlv: Tlv | undefined): string | undefined {
  if (tlv?.tag !== TAG.bmpString || tlv.content.length % 2 !== 0) return undefined;
  let out = '';
  for (let i = 0; i < tlv.content.length; i += 2) {
    out += String.fromCharCode(((tlv.content[i] ?? 0) << 8) | (tlv.content[i + 1] ?? 0));
  }
  return out;
}

function friendlyNameOf(attributes: Tlv | undefined): string | undefined {
  if (attributes?.tag !== TAG.set) return undefined;
  for (const attribute of children(attributes)) {
    const [idTlv, values] = sequence(attribute, 'bag attribute');
    if (decodeOid(idTlv, 'bag attribute') === OID.friendlyName && values !== undefined) {
      return decodeBmpAttribute(children(values)[0]);
    }
  }
  return undefined;
}

class Reader {
  readonly certificates: Pkcs12Bag[] = [];
  readonly keys: Pkcs12Bag[] = [];
  readonly warnings: string[] = [];
  private decryptions = 0;

  constructor(
    private password: PasswordInput | undefined,
    private readonly passphraseGiven: boolean,
    private readonly macVerified: boolean,
  ) {}

  /**
   * Decrypts with the password form the MAC confirmed, or, in a file without a MAC, finds the
   * form that yields a valid structure: without a MAC only the plaintext tells a wrong password.
   */
  private async decrypt(
    algorithm: Tlv | undefined,
    ciphertext: Uint8Array,
    what: string,
  ): Promise<Uint8Array> {
    this.decryptions += 1;
    if (this.decryptions > MAX_ENCRYPTED_PARTS) {
      throw new CofferError(
        'kdf_parameters_too_costly',
        `${WHAT} has more than ${MAX_ENCRYPTED_PARTS} encrypted parts; Coffer refuses it ` +
          'rather than derive a key for each.',
      );
    }
    const forms = this.password === undefined ? candidates('') : [this.password];
    let failure: unknown;
    for (const form of forms) {
      try {
        const plain = await decryptWithPassword(algorithm, ciphertext, form, what);
        parseDer(plain);
        this.password = form;
        return plain;
      } catch (error) {
        if (!(error instanceof DecryptionFailed || error instanceof AsnError)) throw error;
        failure = error;
      }
    }
    if (this.macVerified) {
      throw new CofferError(
        'cert_malformed',
        `Part of ${WHAT} does not decrypt although its password verified; the file is damaged.`,
        { cause: failure },
      );
    }
    if (!this.passphraseGiven) throw passphraseRequired(WHAT);
    throw wrongPassphrase(WHAT, failure);
  }

  async readSafeContents(bytes: Uint8Array, depth: number): Promise<void> {
    if (depth > MAX_NESTING) throw new AsnError('safe contents nested too deeply');
    for (const bag of sequence(parseDer(bytes), 'SafeContents')) {
      const [idTlv, valueWrapper, attributes] = sequence(bag, 'SafeBag');
      const bagId = decodeOid(idTlv, 'SafeBag type');
      const value =
        valueWrapper?.tag === contextTag(0, true) ? children(valueWrapper)[0] : undefined;
      if (value === undefined) throw new AsnError('SafeBag value missing');
      const friendlyName = friendlyNameOf(attributes);
      if (bagId === OID.certBag) {
        const { type, content } = contentOf(value, 'CertBag');
        if (type !== OID.x509Certificate) {
          this.warnings.push(`A certificate bag of type ${type} was ignored.`);
          continue;
        }
        this.certificates.push({ der: octetString(content, 'certificate value'), friendlyName });
      } else if (bagId === OID.keyBag) {
        this.keys.push({ der: value.raw, friendlyName });
      } else if (bagId === OID.pkcs8ShroudedKeyBag) {
        const { algorithm, ciphertext } = readEncryptedPrivateKeyInfo(value);
        this.keys.push({
          der: await this.decrypt(algorithm, ciphertext, 'the PKCS#12 key'),
          friendlyName,
        });
      } else if (bagId === OID.safeContentsBag) {
        await this.readSafeContents(value.raw, depth + 1);
      } else {
        this.warnings.push(
          `A PKCS#12 bag of type ${bagId} (not a certificate or key) was ignored.`,
        );
      }
    }
  }

  async readContentInfo(contentInfo: Tlv): Promise<void> {
    const { type, content } = contentOf(contentInfo, 'ContentInfo');
    if (type === OID.data) {
      await this.readSafeContents(octetString(content, 'data'), 0);
    } else if (type === OID.encryptedData) {
      const [, encryptedContentInfo] = sequence(content, 'EncryptedData');
      const [, algorithm, encrypted] = sequence(encryptedContentInfo, 'EncryptedContentInfo');
      if (encrypted === undefined) return;
      const ciphertext = octetString(encrypted, 'encrypted content', contextTag(0, false));
      await this.readSafeContents(
        await this.decrypt(algorithm, ciphertext, 'the PKCS#12 content'),
        0,
      );
    } else {
      // envelopedData: public-key privacy mode (RFC 7292 §3.1), which needs a key we do not have.
      throw unsupported('The PKCS#12 content protection', type);
    }
  }
}

/** Reads a PKCS#12 file; errors are CofferErrors (wrong_passphrase, passphrase_required, …). */
export async function readPkcs12(
  bytes: Uint8Array,
  passphrase: string | undefined,
): Promise<Pkcs12Contents> {
  try {
    const [versionTlv, authSafe, macData] = sequence(parseDer(bytes), 'PFX');
    if (smallInteger(versionTlv, 'PFX version') !== 3) throw new AsnError('PFX version must be 3');
    const { type, content } = contentOf(authSafe, 'authSafe');
    // signedData here is public-key integrity mode (RFC 7292 §3.1), rare outside smart cards.
    if (type !== OID.data) throw unsupported('The PKCS#12 integrity protection', type);
    const authSafeBytes = octetString(content, 'authSafe content');
    let password: PasswordInput | undefined;
    if (macData !== undefined) {
      const [digestInfo] = sequence(macData, 'MacData');
      const macOid = decodeOid(
        sequence(sequence(digestInfo, 'MAC DigestInfo')[0], 'MAC algorithm')[0],
        'MAC',
      );
      if (macOid === OID.pbmac1) throw unsupported('The PKCS#12 integrity MAC (PBMAC1)', macOid);
      password = verifyMac(macData, authSafeBytes, candidates(passphrase));
      if (password === undefined) {
        if (passphrase === undefined) throw passphraseRequired(WHAT);
        throw new CofferError(
          'wrong_passphrase',
          'The PKCS#12 password is wrong (the file\u2019s integrity check did not verify with it).',
        );
      }
    } else if (passphrase !== undefined && passphrase !== '') {
      password = { text: passphrase };
    }
    const reader = new Reader(password, passphrase !== undefined, macData !== undefined);
    for (const contentInfo of sequence(parseDer(authSafeBytes), 'AuthenticatedSafe')) {
      await reader.readContentInfo(contentInfo);
    }
    return { certificates: reader.certificates, keys: reader.keys, warnings: reader.warnings };
  } catch (error) {
    if (error instanceof CofferError) throw error;
    if (error instanceof DecryptionFailed) throw wrongPassphrase(WHAT, error);
    throw new CofferError(
      'cert_malformed',
      // Only our own structural messages are shown; a library's message might quote input bytes.
      `The PKCS#12 file is damaged or not PKCS#12 (${error instanceof AsnError ? error.message : 'unreadable structure'}).`,
      { cause: error },
    );
  }
}
