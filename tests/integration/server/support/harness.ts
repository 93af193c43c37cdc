import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { AuditRow } from '../../../../server/audit/chain.ts';
import { openDatabase } from '../../../../server/db/open.ts';
import type { Database } from '../../../../server/db/types.ts';
import { startServer } from '../../../../server/start.ts';
import type { ConfigInput } from '../../../../server/config/schema.ts';
import type { RunningServer } from '../../../../server/start.ts';
import type { DatabaseTarget, TestDatabase } from './databases.ts';
import { startTestIssuer } from './test-issuer.ts';
import type { MintOptions, TestIssuer } from './test-issuer.ts';

/** H4: the server's clock, apart from the test's, movable at will. */
export class TestClock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests read members of answers they just checked the status of.
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface Harness {
  server: RunningServer;
  issuer: TestIssuer;
  clock: TestClock;
  database: TestDatabase;
  /** Every line the server logged so far. */
  logs(): string;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  /** Signs a user in through the test issuer and answers the session token. */
  signIn(subject: string, options?: MintOptions): Promise<{ token: string; userId: string }>;
  nonce(): Promise<string>;
  /** A second connection to the server's database, for inspecting (and tampering with) rows. */
  db: Database;
  /** Every audit row so far, in chain order. */
  auditRows(): Promise<AuditRow[]>;
  close(): Promise<void>;
}

const noop = () => undefined;
/** The inspection connection logs nothing. */
export const silentLogger = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  fatal: noop,
  child: () => silentLogger,
} as unknown as FastifyBaseLogger;

/** A fresh id as a client makes one: 128 random bits, base64url. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** Fake ciphertext carrying a marker, so tests can search for it where it must not appear. */
export function fakeBlob(marker = 'SENTINEL'): string {
  return Buffer.from(`${marker}-${randomBytes(12).toString('hex')}`).toString('base64url');
}

/**
 * Every test client shares 127.0.0.1, so the per-address budgets are lifted unless a test sets
 * them: a suite that signs in forty users would otherwise trip the sign-in limit it is not about.
 */
const GENEROUS_ADDRESS_LIMITS = {
  apiPerAddressPerMinute: 1_000_000,
  signInPerAddressPerMinute: 100_000,
  noncePerAddressPerMinute: 100_000,
  unknownDevicePerAddressPerMinute: 100_000,
};

export async function startHarness(
  target: DatabaseTarget,
  config: Partial<ConfigInput> = {},
): Promise<Harness> {
  const clock = new TestClock();
  const database = await target.create();
  const issuer = await startTestIssuer();
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const server = await startServer(
    {
      listen: { host: '127.0.0.1', port: 0 },
      database: database.location,
      logLevel: 'info',
      identityProviders: [
        {
          issuer: issuer.issuer,
          clientIds: [issuer.clientId],
          allowedEmailDomains: ['example.com'],
          allowedGroups: ['vault-users'],
          adminSubjects: ['admin-subject'],
        },
      ],
      ...config,
      rateLimits: { ...GENEROUS_ADDRESS_LIMITS, ...config.rateLimits },
    },
    { logStream, now: clock.now, jwksCooldownMs: 0 },
  );

  const api: Harness['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body ? { body } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as ApiResponse['body']) : {},
      text,
    };
  };

  const nonce = async () => {
    const response = await api('POST', '/api/v1/auth/nonce');
    if (response.status !== 201) throw new Error(`nonce: ${response.status}`);
    return response.body['nonce'] as string;
  };

  const db = openDatabase(database.location, silentLogger);

  return {
    server,
    issuer,
    clock,
    database,
    db,
    auditRows: () => db.all<AuditRow>('SELECT * FROM audit_events ORDER BY seq'),
    logs: () => lines.join(''),
    api,
    nonce,
    async signIn(subject, options = {}) {
      const idToken = await issuer.mint(await nonce(), {
        ...options,
        claims: { sub: subject, ...options.claims },
      });
      const response = await api('POST', '/api/v1/auth/session', { body: { idToken } });
      if (response.status !== 201) throw new Error(`sign-in: ${response.status} ${response.text}`);
      return {
        token: response.body['token'] as string,
        userId: response.body['user'].id as string,
      };
    },
    async close() {
      await db.close();
      await server.close();
      await issuer.close();
      await database.drop();
    },
  };
}
