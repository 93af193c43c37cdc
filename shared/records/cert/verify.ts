/**
 * Checks that a certificate's signature verifies under its issuer's public key. WebCrypto does
 * RSA and NIST-curve ECDSA in Node, Chromium and Electron alike; the Edwards curves go through
 * @noble/curves because WebCrypto Ed25519 arrived late in browsers and Ed448 not at all.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { bufferSource as toBufferSource, concatBytes } from '../../crypto/bytes.ts';
import type { ParsedCertificate } from './certificate.ts';
import {
  DER_NULL,
  TAG,
  children,
  contextTag,
  decodeOid,
  encodeBitString,
  encodeOid,
  encodeTlv,
  parseDer,
  sequence,
  smallInteger,
  unsignedIntegerBytes,
  type Tlv,
} from '../asn1/der.ts';
import { CURVES, OID } from '../asn1/oids.ts';
import type { SignatureCheck } from './types.ts';

const RSA_PKCS1_HASH: Readonly<Record<string, string>> = {
  [OID.sha1WithRsa]: 'SHA-1',
  [OID.sha256WithRsa]: 'SHA-256',
  [OID.sha384WithRsa]: 'SHA-384',
  [OID.sha512WithRsa]: 'SHA-512',
};

const ECDSA_HASH: Readonly<Record<string, string>> = {
  [OID.ecdsaWithSha1]: 'SHA-1',
  [OID.ecdsaWithSha256]: 'SHA-256',
  [OID.ecdsaWithSha384]: 'SHA-384',
  [OID.ecdsaWithSha512]: 'SHA-512',
};

const DIGEST_NAMES: Readonly<Record<string, string>> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

const WEBCRYPTO_CURVES = new Set(['P-256', 'P-384', 'P-521']);

/** ECDSA-Sig-Value (RFC 3279 §2.2.3) → the fixed-width r‖s form WebCrypto verifies. */
function ecdsaDerToP1363(signature: Uint8Array, bits: number): Uint8Array | undefined {
  const size = Math.ceil(bits / 8);
  const [r, s] = sequence(parseDer(signature), 'ECDSA signature');
  const parts = [unsignedIntegerBytes(r, 'r'), unsignedIntegerBytes(s, 's')];
  if (parts.some((part) => part.length > size)) return undefined;
  return concatBytes(...parts.map((part) => concatBytes(new Uint8Array(size - part.length), part)));
}

/** RSASSA-PSS-params (RFC 4055 §3.1): hash (default SHA-1), MGF1 with the same hash, salt. */
function pssParameters(algorithm: Tlv): { hash: string; saltLength: number } | undefined {
  const [, params] = sequence(algorithm, 'RSASSA-PSS algorithm');
  let hash = 'SHA-1';
  let mgfHash = 'SHA-1';
  let saltLength = 20;
  for (const field of params === undefined ? [] : sequence(params, 'RSASSA-PSS parameters')) {
    const [inner] = children(field);
    if (field.tag === contextTag(0, true)) {
      hash = DIGEST_NAMES[decodeOid(sequence(inner, 'hash')[0], 'hash')] ?? '';
    } else if (field.tag === contextTag(1, true)) {
      const [mgf, mgfParams] = sequence(inner, 'maskGenAlgorithm');
      if (decodeOid(mgf, 'mask generation') !== OID.mgf1) return undefined;
      mgfHash = DIGEST_NAMES[decodeOid(sequence(mgfParams, 'MGF1 hash')[0], 'MGF1 hash')] ?? '';
    } else if (field.tag === contextTag(2, true)) {
      saltLength = smallInteger(inner, 'saltLength');
    }
  }
  // WebCrypto ties MGF1 to the message hash; other combinations cannot be checked portably.
  if (hash === '' || hash !== mgfHash) return undefined;
  return { hash, saltLength };
}

/** An RSA key re-labelled rsaEncryption, since WebCrypto refuses id-RSASSA-PSS key info. */
function rsaEncryptionSpki(spki: Uint8Array): Uint8Array {
  const [, keyBits] = sequence(parseDer(spki), 'subjectPublicKeyInfo');
  const algorithm = encodeTlv(TAG.sequence, encodeOid(OID.rsaEncryption), DER_NULL);
  const key = keyBits?.content.subarray(1) ?? new Uint8Array();
  return encodeTlv(TAG.sequence, algorithm, encodeBitString(key));
}

async function webVerify(
  spki: Uint8Array,
  importAlgorithm: RsaHashedImportParams | EcKeyImportParams,
  verifyAlgorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<SignatureCheck> {
  let key: CryptoKey;
  try {
    key = await globalThis.crypto.subtle.importKey(
      'spki',
      toBufferSource(spki),
      importAlgorithm,
      false,
      ['verify'],
    );
  } catch {
    return 'unsupported';
  }
  const ok = await globalThis.crypto.subtle.verify(
    verifyAlgorithm,
    key,
    toBufferSource(signature),
    toBufferSource(data),
  );
  return ok ? 'valid' : 'invalid';
}

/**
 * Whether `subject` was signed by `issuer`'s key. 'unsupported' means the algorithm cannot be
 * checked here (SHA-224, DSA, secp256k1…), never that the signature is bad.
 */
export async function verifySignature(
  subject: ParsedCertificate,
  issuer: ParsedCertificate,
): Promise<SignatureCheck> {
  const algorithm = subject.info.signatureAlgorithm;
  const key = issuer.publicKey;
  const { signature, tbs } = subject;
  try {
    const rsaHash = RSA_PKCS1_HASH[algorithm];
    if (rsaHash !== undefined && key.algorithmOid === OID.rsaEncryption) {
      return await webVerify(
        key.spki,
        { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash },
        'RSASSA-PKCS1-v1_5',
        signature,
        tbs,
      );
    }
    if (
      algorithm === OID.rsassaPss &&
      (key.algorithmOid === OID.rsaEncryption || key.algorithmOid === OID.rsassaPss)
    ) {
      const params = pssParameters(subject.signatureAlgorithm);
      if (params === undefined) return 'unsupported';
      return await webVerify(
        rsaEncryptionSpki(key.spki),
        { name: 'RSA-PSS', hash: params.hash },
        { name: 'RSA-PSS', saltLength: params.saltLength },
        signature,
        tbs,
      );
    }
    const ecHash = ECDSA_HASH[algorithm];
    const curve = key.curveOid === undefined ? undefined : CURVES[key.curveOid];
    if (ecHash !== undefined && curve !== undefined && WEBCRYPTO_CURVES.has(curve.name)) {
      const raw = ecdsaDerToP1363(signature, curve.bits);
      if (raw === undefined) return 'invalid';
      return await webVerify(
        key.spki,
        { name: 'ECDSA', namedCurve: curve.name },
        { name: 'ECDSA', hash: ecHash },
        raw,
        tbs,
      );
    }
    const rawKey = sequence(parseDer(key.spki), 'subjectPublicKeyInfo')[1]?.content.subarray(1);
    if (algorithm === OID.ed25519 && key.algorithmOid === OID.ed25519 && rawKey !== undefined) {
      return ed25519.verify(signature, tbs, rawKey) ? 'valid' : 'invalid';
    }
    if (algorithm === OID.ed448 && key.algorithmOid === OID.ed448 && rawKey !== undefined) {
      return ed448.verify(signature, tbs, rawKey) ? 'valid' : 'invalid';
    }
    return 'unsupported';
  } catch {
    // A signature or key that does not even parse cannot have been made by this issuer.
    return 'invalid';
  }
}
