import { CofferError } from '../../errors.ts';
import { fromUtf8, SshReader, toBase64 } from './bytes.ts';
import { cleanComment, describeKey, sshFingerprint } from './fingerprint.ts';
import type { SshKeyInfo } from './fingerprint.ts';
import { decodePublicBlob, readPublicFields } from './key-material.ts';
import type { SshPublicMaterial } from './key-material.ts';
import { verifySshSignature } from './signature.ts';

/**
 * OpenSSH certificates (OpenSSH PROTOCOL.certkeys, "-cert-v01@openssh.com" key types). Coffer
 * shows what a certificate claims and whether its CA signature verifies; whether that CA is
 * trusted is decided by the servers' TrustedUserCAKeys / known_hosts, so the CA fingerprint is
 * shown for comparison.
 */

const CERT_SUFFIX = '-cert-v01@openssh.com';
const UINT64_MAX = 0xffffffffffffffffn;
/** Seconds beyond this do not fit a JavaScript Date; OpenSSH uses them to mean "forever". */
const MAX_DATE_SECONDS = 8_640_000_000_000n;

export interface SshCertificate {
  /** The certificate key type, e.g. `ssh-ed25519-cert-v01@openssh.com`. */
  readonly certType: string;
  readonly kind: 'user' | 'host';
  /** The certified key; its fingerprint is what `ssh-keygen -L` shows as "Public key". */
  readonly key: SshKeyInfo;
  readonly keyId: string;
  /** uint64 serial in decimal (a string so it survives JSON). */
  readonly serial: string;
  /** Empty means valid for any principal. */
  readonly principals: readonly string[];
  /** null: valid from the beginning of time. */
  readonly validAfter: Date | null;
  /** null: never expires. */
  readonly validBefore: Date | null;
  readonly criticalOptions: readonly { readonly name: string; readonly value: string }[];
  readonly extensions: readonly string[];
  readonly caType: string;
  readonly caFingerprint: string;
  /** The CA's signature over the certificate verifies (says nothing about trusting the CA). */
  readonly signatureValid: boolean;
  /** The certificate as one OpenSSH line with a final newline, ready to save as *-cert.pub. */
  readonly certificate: string;
}

export function isCertificateType(type: string): boolean {
  return type.endsWith(CERT_SUFFIX);
}

function readNameList(bytes: Uint8Array, what: string): string[] {
  const r = new SshReader(bytes, what);
  const out: string[] = [];
  while (r.remaining > 0) out.push(r.text());
  return out;
}

function readOptions(bytes: Uint8Array, what: string): { name: string; value: string }[] {
  const r = new SshReader(bytes, what);
  const out: { name: string; value: string }[] = [];
  while (r.remaining > 0) {
    const name = r.text();
    const data = r.string();
    // Option data is itself a string (e.g. force-command); flag extensions carry nothing.
    const value = data.length === 0 ? '' : new SshReader(data, what).text();
    out.push({ name, value });
  }
  return out;
}

function toDate(seconds: bigint, unbounded: bigint): Date | null {
  if (seconds === unbounded || seconds >= MAX_DATE_SECONDS) return null;
  return new Date(Number(seconds) * 1000);
}

export function parseCertificateBlob(
  blob: Uint8Array,
  comment: string,
): { certificate: SshCertificate; key: SshPublicMaterial } {
  const r = new SshReader(blob, 'The SSH certificate');
  const certType = fromUtf8(r.string(), 'The certificate type');
  if (!isCertificateType(certType)) {
    throw new CofferError('ssh_key_damaged', 'The SSH certificate type is not a -cert-v01 type');
  }
  r.string(); // nonce: randomises the signed data, carries no meaning.
  const key = readPublicFields(r, certType.slice(0, -CERT_SUFFIX.length));
  const serial = r.uint64();
  const kindCode = r.uint32();
  if (kindCode !== 1 && kindCode !== 2) {
    throw new CofferError(
      'ssh_key_damaged',
      `The SSH certificate type ${kindCode} is neither user nor host`,
    );
  }
  const keyId = r.text();
  const principals = readNameList(r.string(), 'The certificate principals');
  const validAfter = r.uint64();
  const validBefore = r.uint64();
  const criticalOptions = readOptions(r.string(), 'The certificate critical options');
  const extensions = readOptions(r.string(), 'The certificate extensions').map((e) => e.name);
  r.string(); // reserved
  const caBlob = r.string();
  const signed = blob.subarray(0, r.consumed);
  const signature = r.string();
  r.end();
  const caType = fromUtf8(new SshReader(caBlob, 'The CA key').string(), 'The CA key type');
  let signatureValid = false;
  try {
    signatureValid = verifySshSignature(decodePublicBlob(caBlob, 'The CA key'), signature, signed);
  } catch (cause) {
    // A CA key of a type Coffer cannot verify (e.g. a security key) is shown, not refused.
    if (!(cause instanceof CofferError)) throw cause;
  }
  const clean = cleanComment(comment);
  const line = `${certType} ${toBase64(blob)}${clean === '' ? '' : ` ${clean}`}\n`;
  const certificate: SshCertificate = {
    certType,
    kind: kindCode === 1 ? 'user' : 'host',
    key: describeKey(key, comment),
    keyId,
    serial: serial.toString(),
    principals,
    validAfter: toDate(validAfter, 0n),
    validBefore: toDate(validBefore, UINT64_MAX),
    criticalOptions,
    extensions,
    caType,
    caFingerprint: sshFingerprint(caBlob),
    signatureValid,
    certificate: line,
  };
  return { certificate, key };
}
