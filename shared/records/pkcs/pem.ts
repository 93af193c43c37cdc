/**
 * PEM block scanner (RFC 7468, with RFC 1421 headers for legacy encrypted keys). Text around
 * blocks — `openssl pkcs12` "Bag Attributes", `subject=` lines, mail quoting — is ignored, and
 * any line ending is accepted. A block that is cut off or damaged is reported by its position and
 * label, so the user knows which part of a pasted bundle to fix.
 */
import { CofferError } from '../../errors.ts';
import { decodeBase64Strict, encodeBase64 } from './base64.ts';

export interface PemBlock {
  /** 1-based position among the blocks of the input. */
  readonly index: number;
  readonly label: string;
  /** RFC 1421 headers (Proc-Type, DEK-Info) by name. */
  readonly headers: ReadonlyMap<string, string>;
  readonly der: Uint8Array;
  /** 1-based line of the BEGIN line. */
  readonly line: number;
}

const BEGIN = /^-----BEGIN ([A-Z0-9][A-Z0-9 ]*[A-Z0-9]|[A-Z0-9])-----$/;
const END = /^-----END (.*)-----$/;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;

export interface BlockPosition {
  readonly index: number;
  readonly label: string;
  readonly line: number;
}

/** "block 2 (CERTIFICATE, line 14)": how errors and warnings name a block. */
export function describeBlock(block: BlockPosition): string {
  return `PEM block ${block.index} (${block.label}, line ${block.line})`;
}

/**
 * pem_block_damaged with its parts kept apart, so an importer that names blocks its own way
 * (the SSH importer says "The OPENSSH PRIVATE KEY block …") can word the message itself.
 */
export class PemBlockDamaged extends CofferError {
  constructor(
    readonly block: BlockPosition,
    readonly problem: string,
  ) {
    super('pem_block_damaged', `${describeBlock(block)} ${problem}.`);
  }
}

function damaged(block: BlockPosition, problem: string): CofferError {
  return new PemBlockDamaged(block, problem);
}

interface OpenBlock {
  index: number;
  label: string;
  line: number;
  headers: Map<string, string>;
  body: string[];
  inHeaders: boolean;
  lastHeader: string | undefined;
}

function finish(open: OpenBlock): PemBlock {
  const text = open.body.join('');
  if (text.length === 0) throw damaged(open, 'has no content');
  if (/[^A-Za-z0-9+/=]/.test(text)) throw damaged(open, 'contains characters that are not base64');
  const der = decodeBase64Strict(text);
  if (der === undefined) {
    throw damaged(
      open,
      'has broken base64 (wrong length or misplaced padding); it may be truncated',
    );
  }
  return { index: open.index, label: open.label, headers: open.headers, der, line: open.line };
}

function addBodyLine(open: OpenBlock, line: string, lineNumber: number): void {
  if (open.inHeaders) {
    const header = HEADER.exec(line.trim());
    if (header !== null && open.body.length === 0) {
      open.lastHeader = header[1] ?? '';
      open.headers.set(open.lastHeader, header[2] ?? '');
      return;
    }
    const previous = open.lastHeader === undefined ? '' : (open.headers.get(open.lastHeader) ?? '');
    if (open.lastHeader !== undefined && previous.endsWith(',') && line.trim() !== '') {
      // RFC 1421 §4.6: a long header value continues on the next line after a comma.
      open.headers.set(open.lastHeader, `${previous}${line.trim()}`);
      return;
    }
    open.inHeaders = false;
    if (line.trim() === '') return;
  }
  const compact = line.replace(/\s+/g, '');
  if (compact.length === 0) return;
  if (compact.includes('-----')) {
    throw damaged(open, `has a stray armour line at line ${lineNumber}`);
  }
  open.body.push(compact);
}

/** Finds every PEM block in `text`; throws CofferError('pem_block_damaged') for a broken one. */
export function readPemBlocks(text: string): PemBlock[] {
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: PemBlock[] = [];
  let open: OpenBlock | undefined;
  let count = 0;
  for (const [i, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    const lineNumber = i + 1;
    const begin = BEGIN.exec(line);
    if (begin !== null) {
      if (open !== undefined) {
        throw damaged(
          open,
          `has no END line before the next BEGIN at line ${lineNumber}; it is truncated`,
        );
      }
      count += 1;
      open = {
        index: count,
        label: begin[1] ?? '',
        line: lineNumber,
        headers: new Map(),
        body: [],
        inHeaders: true,
        lastHeader: undefined,
      };
      continue;
    }
    const end = END.exec(line);
    if (end !== null) {
      if (open === undefined) {
        throw new CofferError(
          'pem_block_damaged',
          `PEM END line at line ${lineNumber} has no BEGIN line; the block's start is missing.`,
        );
      }
      if (end[1] !== open.label)
        throw damaged(open, `ends with a mismatched END ${end[1] ?? ''} line`);
      blocks.push(finish(open));
      open = undefined;
      continue;
    }
    if (open !== undefined) addBodyLine(open, rawLine, lineNumber);
  }
  if (open !== undefined) throw damaged(open, 'has no END line; it is truncated');
  return blocks;
}

/**
 * PEM armour with LF endings and a final newline (RFC 7468 §2, the stored normal form): 64
 * columns by default, 70 for OpenSSH's own format; RFC 1421 headers, if any, before a blank line.
 */
export function toPem(
  label: string,
  der: Uint8Array,
  width = 64,
  headers: ReadonlyMap<string, string> = new Map(),
): string {
  const lines = encodeBase64(der).match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  const head = [...headers].map(([name, value]) => `${name}: ${value}\n`).join('');
  const body = lines.map((line) => `${line}\n`).join('');
  return `-----BEGIN ${label}-----\n${head}${head === '' ? '' : '\n'}${body || '\n'}-----END ${label}-----\n`;
}
