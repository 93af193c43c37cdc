import { CofferError } from '../shared/errors.ts';

/**
 * The CLI's own output: results on stdout, warnings and errors on stderr, each prefixed so a CI
 * log shows which tool spoke. Nothing here formats a secret into a warning or an error.
 */
export interface Io {
  /** A line of output (a newline is added when missing). */
  out(text: string): void;
  /** Output exactly as given (rendered templates). */
  write(text: string): void;
  warn(message: string): void;
  error(message: string): void;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo: Io = {
  out: (text) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  write: (text) => {
    process.stdout.write(text);
  },
  warn: (message) => {
    process.stderr.write(`coffer: warning: ${message}\n`);
  },
  error: (message) => {
    process.stderr.write(`coffer: error: ${message}\n`);
  },
  // A getter: touching process.stdin builds a stream (a socket when it is a pipe), which only
  // the commands that read stdin should pay for.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
};

/**
 * Reads all of stdin as UTF-8 text, at most `maxBytes`. `what` names the input in the refusals
 * ("The value of \"password\" read from stdin"). Input that is too long or is not valid UTF-8
 * is refused rather than cut or repaired: a Latin-1 "ä" decoded leniently becomes U+FFFD, and the
 * secret stored would silently differ from the one given.
 */
export async function readStdin(io: Io, what: string, maxBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) {
      throw new CofferError(
        'cli_usage',
        `${what} is longer than ${maxBytes} bytes; nothing was written.`,
      );
    }
    chunks.push(buffer);
  }
  return decodeUtf8(Buffer.concat(chunks), what);
}

/** `bytes` as text, or a usage error saying it is not UTF-8 (never showing the bytes). */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    // ignoreBOM: a leading byte-order mark is kept, as the lenient decoding kept it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new CofferError(
      'cli_usage',
      `${what} is not valid UTF-8 text (another encoding, such as Latin-1, or binary data); ` +
        'nothing was written. Convert it first, e.g. with "iconv -f LATIN1 -t UTF-8".',
      { cause: error },
    );
  }
}
