/** X.509 certificate parsing (RFC 5280 §4.1) into what the vault shows and stores. */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../crypto/bytes.ts';
import {
  AsnError,
  TAG,
  children,
  contextTag,
  decodeOid,
  decodeTime,
  expect,
  octetString,
  parseDer,
  sequence,
  type Tlv,
} from '../asn1/der.ts';
import { formatRfc4514, nameMatchKey, readName } from './name.ts';
import { OID } from '../asn1/oids.ts';
import { readSubjectPublicKeyInfo, type PublicKeyDetails } from './public-key.ts';
import type { CertificateInfo, SubjectAltName } from './types.ts';

/** Upper-case hex pairs joined by colons, the form OpenSSL and browsers show fingerprints in. */
function toColonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** A certificate with the parts chain building and signature checks need. */
export interface ParsedCertificate {
  readonly info: CertificateInfo;
  readonly publicKey: PublicKeyDetails;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: Tlv;
  readonly signature: Uint8Array;
  readonly subjectKey: string;
  readonly issuerKey: string;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
}

/** RFC 5952 §4 text form: lower case, leading zeros dropped, longest zero run as '::'. */
function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) return formatIpv6(bytes);
  return `#${toHex(bytes)}`;
}

/**
 * IA5String SAN values (DNS, e-mail, URI) are ASCII; anything outside printable ASCII — a control
 * character or an 8-bit byte — is shown as #hex, never as text that could act on a terminal.
 */
function ia5(tlv: Tlv): string {
  const printable = tlv.content.every((byte) => byte >= 0x20 && byte <= 0x7e);
  return printable ? String.fromCharCode(...tlv.content) : `#${toHex(tlv.content)}`;
}

/** GeneralNames (RFC 5280 §4.2.1.6) → display entries; unknown forms are kept, not dropped. */
export function readSubjectAltNames(extensionValue: Uint8Array): SubjectAltName[] {
  return children(expectSequence(extensionValue, 'subjectAltName')).map((name): SubjectAltName => {
    switch (name.tag) {
      case contextTag(1, false):
        return { type: 'email', value: ia5(name) };
      case contextTag(2, false):
        return { type: 'dns', value: ia5(name) };
      case contextTag(6, false):
        return { type: 'uri', value: ia5(name) };
      case contextTag(7, false):
        return { type: 'ip', value: formatIp(name.content) };
      case contextTag(4, true): {
        const [inner] = children(name);
        if (inner === undefined) throw new AsnError('directoryName empty');
        return { type: 'dn', value: formatRfc4514(readName(inner, 'directoryName')) };
      }
      case contextTag(0, true): {
        const [typeId] = children(name);
        return { type: 'other', value: `otherName:${decodeOid(typeId, 'otherName type')}` };
      }
      case contextTag(8, false):
        return {
          type: 'other',
          value: `registeredID:${decodeOid({ ...name, tag: TAG.oid }, 'registeredID')}`,
        };
      default:
        return { type: 'other', value: `[${name.tag & 0x1f}]#${toHex(name.content)}` };
    }
  });
}

function expectSequence(bytes: Uint8Array, what: string): Tlv {
  return expect(parseDer(bytes), TAG.sequence, what);
}

interface Extensions {
  subjectAltNames: SubjectAltName[];
  isCa: boolean;
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
}

function readExtensions(wrapper: Tlv | undefined): Extensions {
  const result: Extensions = {
    subjectAltNames: [],
    isCa: false,
    subjectKeyId: undefined,
    authorityKeyId: undefined,
  };
  if (wrapper === undefined) return result;
  const [list] = children(wrapper);
  for (const extension of sequence(list, 'extensions')) {
    const parts = sequence(extension, 'extension');
    const oid = decodeOid(parts[0], 'extension id');
    const value = octetString(parts[parts.length - 1], 'extension value');
    if (oid === OID.subjectAltName) {
      result.subjectAltNames = readSubjectAltNames(value);
    } else if (oid === OID.basicConstraints) {
      const [flag] = children(expectSequence(value, 'basicConstraints'));
      result.isCa = flag?.tag === TAG.boolean && (flag.content[0] ?? 0) !== 0;
    } else if (oid === OID.subjectKeyIdentifier) {
      result.subjectKeyId = octetString(parseDer(value), 'subjectKeyIdentifier');
    } else if (oid === OID.authorityKeyIdentifier) {
      const keyId = children(expectSequence(value, 'authorityKeyIdentifier')).find(
        (part) => part.tag === contextTag(0, false),
      );
      result.authorityKeyId = keyId?.content;
    }
  }
  return result;
}

/** Parses one DER certificate; throws AsnError when the structure is broken. */
export function parseCertificate(certificate: Tlv): ParsedCertificate {
  const [tbsTlv, signatureAlgorithm, signatureTlv] = sequence(certificate, 'certificate');
  const tbsParts = sequence(tbsTlv, 'tbsCertificate');
  // The version field is an EXPLICIT [0]; v1 certificates leave it out.
  const offset = tbsParts[0]?.tag === contextTag(0, true) ? 1 : 0;
  const [serial, , issuerTlv, validityTlv, subjectTlv, spkiTlv, ...optional] =
    tbsParts.slice(offset);
  const serialContent = expect(serial, TAG.integer, 'serialNumber').content;
  // Shown like OpenSSL and browsers: without the sign octet DER adds before a high bit.
  const serialBytes =
    serialContent.length > 1 && serialContent[0] === 0 ? serialContent.subarray(1) : serialContent;
  const [notBefore, notAfter] = sequence(validityTlv, 'validity');
  if (issuerTlv === undefined || subjectTlv === undefined || spkiTlv === undefined) {
    throw new AsnError('tbsCertificate incomplete');
  }
  const issuerRdns = readName(issuerTlv, 'issuer');
  const subjectRdns = readName(subjectTlv, 'subject');
  const publicKey = readSubjectPublicKeyInfo(spkiTlv);
  const extensions = readExtensions(optional.find((part) => part.tag === contextTag(3, true)));
  const signatureOid = decodeOid(
    sequence(signatureAlgorithm, 'signatureAlgorithm')[0],
    'signature algorithm',
  );
  const subjectKey = nameMatchKey(subjectRdns);
  const issuerKey = nameMatchKey(issuerRdns);
  const der = certificate.raw;
  const info: CertificateInfo = {
    subject: formatRfc4514(subjectRdns),
    issuer: formatRfc4514(issuerRdns),
    serialNumber: toColonHex(serialBytes),
    subjectAltNames: extensions.subjectAltNames,
    notBefore: decodeTime(notBefore, 'notBefore'),
    notAfter: decodeTime(notAfter, 'notAfter'),
    sha256Fingerprint: toColonHex(sha256(der)),
    publicKey: publicKey.summary,
    isCa: extensions.isCa,
    selfIssued: subjectKey === issuerKey,
    signatureAlgorithm: signatureOid,
    der,
  };
  return {
    info,
    publicKey,
    tbs: tbsTlv?.raw ?? new Uint8Array(),
    signatureAlgorithm: expect(signatureAlgorithm, TAG.sequence, 'signatureAlgorithm'),
    signature: expect(signatureTlv, TAG.bitString, 'signature').content.subarray(1),
    subjectKey,
    issuerKey,
    subjectKeyId: extensions.subjectKeyId,
    authorityKeyId: extensions.authorityKeyId,
  };
}
