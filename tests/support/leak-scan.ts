import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Searches raw bytes — files at rest, logs, database dumps — for secrets a test used, in the
 * encodings a leak could hide in: the bytes themselves, UTF-16LE (for text), hex in either case,
 * and base64 and base64url at each of the three alignments a value can take inside a longer
 * encoded blob. Base64 is also searched with line breaks removed, as PEM and MIME wrap it.
 */
export interface Secret {
  /** What the secret is, for the report; never its value. */
  readonly name: string;
  readonly value: string | Uint8Array;
}

export interface LeakHit {
  readonly secret: string;
  readonly form: string;
  readonly where: string;
}

interface Form {
  readonly secret: string;
  readonly form: string;
  readonly needle: Buffer;
  /** Searched in the haystack with CR and LF removed too. */
  readonly unwrapped: boolean;
}

/** The base64 characters that depend only on `bytes` when they start `shift` bytes into a block. */
function alignedBase64(bytes: Buffer, shift: 0 | 1 | 2): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
  const skip = [0, 2, 3][shift]!;
  const whole = Math.floor(((shift + bytes.length) * 8) / 6);
  return encoded.slice(skip, whole);
}

/** Every form searched for one secret; values shorter than 8 bytes would match by chance. */
export function encodedForms(secret: Secret): Form[] {
  const text = typeof secret.value === 'string';
  const bytes = Buffer.from(
    typeof secret.value === 'string' ? Buffer.from(secret.value, 'utf8') : secret.value,
  );
  if (bytes.length < 8) throw new Error(`secret ${secret.name} is too short to search for`);
  const form = (name: string, needle: Buffer | string, unwrapped = false): Form => ({
    secret: secret.name,
    form: name,
    needle: typeof needle === 'string' ? Buffer.from(needle, 'latin1') : needle,
    unwrapped,
  });
  const forms = [
    form('raw', bytes),
    form('hex', bytes.toString('hex')),
    form('HEX', bytes.toString('hex').toUpperCase()),
  ];
  if (text) forms.push(form('utf-16le', Buffer.from(bytes.toString('utf8'), 'utf16le')));
  for (const shift of [0, 1, 2] as const) {
    const base64 = alignedBase64(bytes, shift);
    forms.push(form(`base64@${shift}`, base64, true));
    forms.push(form(`base64url@${shift}`, base64.replace(/\+/g, '-').replace(/\//g, '_'), true));
  }
  return forms;
}

const CR = 0x0d;
const LF = 0x0a;

function withoutLineBreaks(bytes: Buffer): Buffer {
  return Buffer.from(bytes.filter((byte) => byte !== CR && byte !== LF));
}

/** Where each secret appears in `bytes`, in any of its forms; `where` names the source. */
export function scanBytes(bytes: Buffer, secrets: readonly Secret[], where: string): LeakHit[] {
  const hits: LeakHit[] = [];
  let unwrapped: Buffer | undefined;
  for (const secret of secrets) {
    for (const form of encodedForms(secret)) {
      let found = bytes.includes(form.needle);
      if (!found && form.unwrapped) {
        unwrapped ??= withoutLineBreaks(bytes);
        found = unwrapped.includes(form.needle);
      }
      if (found) hits.push({ secret: form.secret, form: form.form, where });
    }
  }
  return hits;
}

/** Every regular file under `path` (or `path` itself), depth first. */
export function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** Scans every file under each path, each file read whole. */
export function scanFiles(paths: readonly string[], secrets: readonly Secret[]): LeakHit[] {
  return paths.flatMap(filesUnder).flatMap((file) => scanBytes(readFileSync(file), secrets, file));
}
