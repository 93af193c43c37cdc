import { CofferError } from '../../errors.ts';
import { fromBase64 } from './bytes.ts';

/**
 * Text handling shared by the key formats: pasted keys arrive with CRLF (Windows editors,
 * PowerShell/Win32-OpenSSH#1315), without a final newline (web forms, ssh-key-action#276) or
 * with a byte-order mark, and OpenSSH refuses some of those. Everything Coffer stores or exports
 * is LF-terminated with exactly one final newline.
 */

/** Input size cap: the largest real key file (RSA 16384 PPK) is far below this. */
export const MAX_INPUT_CHARS = 256 * 1024;

export function normaliseLineEndings(text: string): string {
  if (text.length > MAX_INPUT_CHARS) {
    throw new CofferError(
      'invalid_input',
      `SSH key input is larger than ${MAX_INPUT_CHARS} characters`,
    );
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** LF endings, no trailing spaces, no leading or trailing blank lines, one final newline. */
export function canonicalText(text: string): string {
  const lines = normaliseLineEndings(text)
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''));
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

export interface PemBlock {
  readonly label: string;
  /** RFC 1421 headers such as Proc-Type and DEK-Info, keyed by their name. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
  /** The block alone, re-wrapped canonically (LF, final newline). */
  readonly text: string;
}

const BEGIN_RE = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** Labels of every PEM block in the text, in order. */
export function pemLabels(text: string): string[] {
  return [...text.matchAll(BEGIN_RE)].map((match) => match[1] ?? '');
}

/** Extracts the first PEM block with the given label; a pasted single-line block also works. */
export function readPemBlock(text: string, label: string): PemBlock {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = text.indexOf(begin);
  if (start < 0) throw new CofferError('pem_block_damaged', `No "${begin}" line found`);
  const stop = text.indexOf(end, start + begin.length);
  if (stop < 0) {
    throw new CofferError('pem_block_damaged', `The ${label} block has no END line (truncated?)`);
  }
  const inner = text.slice(start + begin.length, stop);
  const headers = new Map<string, string>();
  const bodyLines: string[] = [];
  for (const rawLine of inner.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    const header = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (header !== null && bodyLines.length === 0) {
      headers.set(header[1] ?? '', header[2] ?? '');
      continue;
    }
    bodyLines.push(line.replace(/\s+/g, ''));
  }
  const base64 = bodyLines.join('');
  let body: Uint8Array;
  try {
    body = fromBase64(base64, `The ${label} block`);
  } catch (cause) {
    throw new CofferError('pem_block_damaged', `The ${label} block is not valid base64`, {
      cause,
    });
  }
  if (body.length === 0) throw new CofferError('pem_block_damaged', `The ${label} block is empty`);
  const headerText = [...headers].map(([name, value]) => `${name}: ${value}\n`).join('');
  // OpenSSH wraps its own format at 70 columns, PEM (RFC 7468 §2) at 64.
  const width = label === 'OPENSSH PRIVATE KEY' ? 70 : 64;
  const wrapped = base64.match(new RegExp(`.{1,${width}}`, 'g'))?.join('\n') ?? '';
  const blockText = `${begin}\n${headerText}${headerText === '' ? '' : '\n'}${wrapped}\n${end}\n`;
  return { label, headers, body, text: blockText };
}

/** Wraps bytes as a PEM block with lines of `width` characters. */
export function writePem(label: string, base64: string, width: number): string {
  const lines = base64.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
