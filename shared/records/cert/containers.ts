/** Recognises what a binary (DER/BER) input is, and reads certificates out of PKCS#7 bundles. */
import { TAG, children, contextTag, decodeOid, sequence, type Tlv } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';

export type DerKind =
  | 'certificate'
  | 'pkcs12'
  | 'pkcs7'
  | 'pkcs8'
  | 'encrypted-pkcs8'
  | 'pkcs1-rsa'
  | 'sec1-ec'
  | 'unknown';

function isInteger(tlv: Tlv | undefined, value?: number): boolean {
  if (tlv?.tag !== TAG.integer) return false;
  return value === undefined || (tlv.content.length === 1 && tlv.content[0] === value);
}

/** Classifies a top-level SEQUENCE by the shape of its first elements. */
export function classifyDer(top: Tlv): DerKind {
  if (top.tag !== TAG.sequence) return 'unknown';
  const [a, b, c] = children(top);
  if (a?.tag === TAG.sequence && b?.tag === TAG.sequence && c?.tag === TAG.bitString)
    return 'certificate';
  if (isInteger(a, 3) && b?.tag === TAG.sequence) return 'pkcs12';
  if (a?.tag === TAG.oid) return 'pkcs7';
  if (isInteger(a) && b?.tag === TAG.sequence && c?.tag === TAG.octetString) return 'pkcs8';
  if (a?.tag === TAG.sequence && b?.tag === TAG.octetString) return 'encrypted-pkcs8';
  if (isInteger(a, 0) && b?.tag === TAG.integer) return 'pkcs1-rsa';
  if (isInteger(a, 1) && b?.tag === TAG.octetString) return 'sec1-ec';
  return 'unknown';
}

/**
 * The certificates of a PKCS#7 SignedData "certs-only" bundle (.p7b, RFC 2315 §9.1), the form
 * Windows and many CAs hand out chains in.
 */
export function readPkcs7Certificates(top: Tlv): Tlv[] {
  const [typeTlv, wrapper] = sequence(top, 'PKCS#7 ContentInfo');
  const type = decodeOid(typeTlv, 'PKCS#7 content type');
  if (type !== OID.signedData || wrapper === undefined) return [];
  const signedData = children(wrapper)[0];
  const certificates = sequence(signedData, 'SignedData').find(
    (part) => part.tag === contextTag(0, true),
  );
  return certificates === undefined ? [] : children(certificates);
}
