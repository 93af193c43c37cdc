import { CofferError } from '../../errors.ts';
import { fromBase64, SshReader } from './bytes.ts';
import { parseRsaPublicKey, parseSpki } from './asn1-keys.ts';
import { isCertificateType, parseCertificateBlob } from './certificate.ts';
import type { SshCertificate } from './certificate.ts';
import { describeKey } from './fingerprint.ts';
import type { SshKeyInfo } from './fingerprint.ts';
import { decodePublicBlob } from './key-material.ts';
import { normaliseLineEndings, pemLabels, readPemBlock } from './text.ts';

/**
 * Public keys in every form people paste: OpenSSH one-line keys and certificates,
 * authorized_keys lines with options (sshd(8) AUTHORIZED_KEYS FILE FORMAT), RFC 4716 blocks and
 * the PEM public forms `ssh-keygen -e` writes.
 */

export interface SshPublicKeyEntry extends SshKeyInfo {
  /** authorized_keys options exactly as written (quoted spaces kept); '' when none. */
  readonly options: string;
  /** 1-based line where the key starts in the input. */
  readonly line: number;
  /** Present when the entry is an OpenSSH certificate; the key fields describe its key. */
  readonly certificate?: SshCertificate;
}

const RFC4716_BEGIN = '---- BEGIN SSH2 PUBLIC KEY ----';
const RFC4716_END = '---- END SSH2 PUBLIC KEY ----';
const KEY_TYPE_RE = /^(?:ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+$/;

function entryFromBlob(
  blob: Uint8Array,
  declaredType: string | undefined,
  comment: string,
  options: string,
  line: number,
): SshPublicKeyEntry {
  const at = `Line ${line}`;
  const blobType = new TextDecoder().decode(new SshReader(blob, `${at} key data`).string());
  if (declaredType !== undefined && blobType !== declaredType) {
    throw new CofferError('ssh_key_damaged', `${at}: the key type does not match the encoded key`);
  }
  try {
    if (isCertificateType(blobType)) {
      const { certificate, key } = parseCertificateBlob(blob, comment);
      return { ...describeKey(key, comment), options, line, certificate };
    }
    return { ...describeKey(decodePublicBlob(blob, 'The public key'), comment), options, line };
  } catch (cause) {
    if (cause instanceof CofferError) {
      throw new CofferError(cause.code, `${at}: ${cause.message}`, { cause });
    }
    throw cause;
  }
}

/** Splits the options field off an authorized_keys line; quoted text may hold spaces. */
function splitOptions(text: string): { options: string; rest: string } {
  let inQuotes = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\' && inQuotes) {
      i += 1;
    } else if (char === '"') {
      inQuotes = !inQuotes;
    } else if (!inQuotes && (char === ' ' || char === '\t')) {
      return { options: text.slice(0, i), rest: text.slice(i).trimStart() };
    }
  }
  return { options: text, rest: '' };
}

function parseKeyLine(text: string, line: number): SshPublicKeyEntry {
  let options = '';
  let rest = text;
  const firstToken = text.split(/[ \t]/, 1)[0] ?? '';
  if (!KEY_TYPE_RE.test(firstToken)) ({ options, rest } = splitOptions(text));
  const match = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(rest);
  if (match === null || !KEY_TYPE_RE.test(match[1] ?? '')) {
    throw new CofferError('ssh_format_unrecognised', `Line ${line} is not an SSH public key`);
  }
  const blob = fromBase64(match[2] ?? '', `Line ${line} key data`);
  return entryFromBlob(blob, match[1], match[3] ?? '', options, line);
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}

/** RFC 4716 §3: headers are `Tag: value`, a trailing backslash continues onto the next line. */
function parseRfc4716(lines: string[]): SshPublicKeyEntry[] {
  const out: SshPublicKeyEntry[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]?.trim() !== RFC4716_BEGIN) {
      i += 1;
      continue;
    }
    const start = i + 1;
    i += 1;
    let comment = '';
    let body = '';
    while (i < lines.length && lines[i]?.trim() !== RFC4716_END) {
      let line = (lines[i] ?? '').trim();
      if (line.includes(':')) {
        while (line.endsWith('\\') && i + 1 < lines.length) {
          i += 1;
          line = line.slice(0, -1) + (lines[i] ?? '').trim();
        }
        const colon = line.indexOf(':');
        if (line.slice(0, colon).trim().toLowerCase() === 'comment') {
          comment = unquote(line.slice(colon + 1));
        }
      } else {
        body += line;
      }
      i += 1;
    }
    if (i >= lines.length) {
      throw new CofferError(
        'ssh_key_damaged',
        `The SSH2 public key block at line ${start} has no END line`,
      );
    }
    i += 1;
    out.push(
      entryFromBlob(fromBase64(body, 'The SSH2 public key block'), undefined, comment, '', start),
    );
  }
  return out;
}

/** Parses one or more public keys or certificates; '#' comment lines and blank lines are skipped. */
export function parseSshPublicKeys(input: string): SshPublicKeyEntry[] {
  const text = normaliseLineEndings(input);
  const lines = text.split('\n');
  let entries: SshPublicKeyEntry[];
  if (text.includes(RFC4716_BEGIN)) {
    entries = parseRfc4716(lines);
  } else if (pemLabels(text).includes('PUBLIC KEY')) {
    const key = parseSpki(readPemBlock(text, 'PUBLIC KEY').body);
    entries = [{ ...describeKey(key, ''), options: '', line: 1 }];
  } else if (pemLabels(text).includes('RSA PUBLIC KEY')) {
    const key = parseRsaPublicKey(readPemBlock(text, 'RSA PUBLIC KEY').body);
    entries = [{ ...describeKey(key, ''), options: '', line: 1 }];
  } else {
    entries = [];
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line !== '' && !line.startsWith('#')) entries.push(parseKeyLine(line, index + 1));
    });
  }
  if (entries.length === 0) {
    throw new CofferError('ssh_format_unrecognised', 'No SSH public key found in the input');
  }
  return entries;
}
