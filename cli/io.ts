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

/** Reads all of stdin as UTF-8, at most `maxBytes`. */
export async function readStdin(io: Io, maxBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
