import { Readable } from 'node:stream';
import type { Io } from '../../../../cli/io.ts';

/** An `Io` for `main()` that keeps what it prints, with empty stdin and the given environment. */
export function captureIo(env: Record<string, string> = {}) {
  const lines = { out: [] as string[], err: [] as string[] };
  const io: Io = {
    out: (text) => lines.out.push(text),
    write: (text) => lines.out.push(text),
    warn: (text) => lines.err.push(`warning: ${text}`),
    error: (text) => lines.err.push(`error: ${text}`),
    stdin: Readable.from([]),
    env,
  };
  return { io, lines };
}
