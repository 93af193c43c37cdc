import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Writable } from 'node:stream';

/** The subsystems that own a child logger; every log line names the one it came from. */
export type Subsystem =
  'http' | 'config' | 'db' | 'auth' | 'dev-idp' | 'keys' | 'vault' | 'audit' | 'apps' | 'device';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Header and field names whose values are credentials. Handlers never log these; the redaction
 * at the sink is the backstop STYLE.md asks for, in case a request object is ever logged whole.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["coffer-signature"]',
  'req.headers["coffer-nonce"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'idToken',
  'nonce',
];

interface RequestLike {
  method: string;
  url: string;
  id: string;
}

/**
 * Options for Fastify's bundled pino logger. The request serializer keeps the method and the path
 * only: a query string may carry an identifier a user pasted, and bodies are never logged.
 */
export function loggerOptions(
  level: LogLevel,
  stream?: Writable,
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: RequestLike) => ({ id: req.id, method: req.method, path: pathOnly(req.url) }),
    },
  };
}

function pathOnly(url: string): string {
  const cut = url.indexOf('?');
  return cut === -1 ? url : url.slice(0, cut);
}

export function subsystemLogger(root: FastifyBaseLogger, subsystem: Subsystem): FastifyBaseLogger {
  return root.child({ subsystem });
}
