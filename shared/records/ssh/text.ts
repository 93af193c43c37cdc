import { CofferError } from '../../errors.ts';
import { PemBlockDamaged, readPemBlocks, toPem } from '../pkcs/pem.ts';

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

/**
 * Extracts the first PEM block with the given label, read by the shared PEM scanner. A block
 * pasted on one line (web forms fold line breaks into spaces) also works: its armour is put back
 * on lines of its own first. The stored text is the block alone, re-wrapped canonically.
 */
export function readPemBlock(text: string, label: string): PemBlock {
  const unfolded = text
    .replace(/([^\n])[ \t]*(-----(?:BEGIN|END) [A-Z0-9 ]+-----)/g, '$1\n$2')
    .replace(/(-----(?:BEGIN|END) [A-Z0-9 ]+-----)[ \t]*([^\n])/g, '$1\n$2');
  let blocks;
  try {
    blocks = readPemBlocks(unfolded);
  } catch (error) {
    if (!(error instanceof PemBlockDamaged)) throw error;
    throw new CofferError('pem_block_damaged', `The ${error.block.label} block ${error.problem}`, {
      cause: error,
    });
  }
  const block = blocks.find((candidate) => candidate.label === label);
  if (block === undefined) {
    throw new CofferError('pem_block_damaged', `No "-----BEGIN ${label}-----" line found`);
  }
  // OpenSSH wraps its own format at 70 columns, PEM (RFC 7468 §2) at 64.
  const width = label === 'OPENSSH PRIVATE KEY' ? 70 : 64;
  return {
    label,
    headers: block.headers,
    body: block.der,
    text: toPem(label, block.der, width, block.headers),
  };
}
