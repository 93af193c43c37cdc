import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceApi } from '../../../cli/sdk/api.ts';
import { nextDelayMs, retryAfterMs } from '../../../cli/sdk/retry.ts';
import { send } from '../../../cli/sdk/transport.ts';
import {
  generateEcdhKeyPair,
  generateSigningKeyPair,
  generateAeadKeyBytes,
  randomId,
  toBase64Url,
} from '../../../shared/crypto/index.ts';
import type { DeviceProfile } from '../../../shared/keys/device-profile.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { untrustedCertificate } from './support/tls.ts';

/** H7: a tiny server on 127.0.0.1 that answers each request with the next scripted reply. */
type Reply = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = 'cert' in server ? 'https' : 'http';
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function scripted(replies: Reply[]) {
  const seen: { headers: IncomingMessage['headers']; remote: string | undefined; at: number }[] =
    [];
  const server = createServer((req, res) => {
    seen.push({ headers: req.headers, remote: req.socket.remoteAddress, at: Date.now() });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
    req.resume();
    req.on('end', () => reply?.(req, res));
  });
  return { server, seen };
}

const problem =
  (status: number, code: string, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
    res.end(JSON.stringify({ type: `urn:coffer:problem:${code}`, title: code, status, code }));
  };

let profile: DeviceProfile;
const statusBody = () => ({
  protocol: 1,
  deviceId: profile.deviceId,
  deviceName: 'runner',
  appId: profile.appId,
  appName: 'CI',
  appKeyVersion: 1,
  accessExpiry: null,
  ipRule: { type: 'none' },
  boundAddress: '127.0.0.1',
  serverTime: Math.floor(Date.now() / 1000),
  grants: [],
});
const ok: Reply = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(statusBody()));
};

beforeAll(async () => {
  const [signing, encryption] = await Promise.all([
    generateSigningKeyPair(),
    generateEcdhKeyPair(),
  ]);
  profile = {
    protocol: 1,
    origin: 'http://127.0.0.1:1',
    deviceId: randomId(),
    appId: randomId(),
    appKeyVersion: 1,
    appKey: toBase64Url(generateAeadKeyBytes()),
    signing: {
      publicKey: toBase64Url(signing.publicKey),
      privateKey: toBase64Url(signing.privateKey),
    },
    encryption: {
      publicKey: toBase64Url(encryption.publicKey),
      privateKey: toBase64Url(encryption.privateKey),
    },
  };
});

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : `foreign: ${String(error)}`;
  }
  return 'none';
}

describe('retries on 429 and 503 (issue #5 item 5)', () => {
  it('retries a 503 with backoff, signing each attempt afresh, until it succeeds', async () => {
    const { server, seen } = scripted([
      problem(503, 'server_unavailable'),
      problem(503, 'server_unavailable'),
      ok,
    ]);
    const api = new DeviceApi({ origin: await listen(server), retry: { baseDelayMs: 20 } });
    const status = await api.status(profile);
    expect(status.appName).toBe('CI');
    expect(seen).toHaveLength(3);
    const nonces = new Set(seen.map((s) => s.headers['coffer-nonce']));
    expect(nonces.size).toBe(3);
    expect((seen[2]?.at ?? 0) - (seen[1]?.at ?? 0)).toBeGreaterThanOrEqual(15);
  });

  it('honours Retry-After on a 429', async () => {
    const { server, seen } = scripted([problem(429, 'rate_limited', { 'retry-after': '1' }), ok]);
    const api = new DeviceApi({ origin: await listen(server), retry: { baseDelayMs: 1 } });
    await api.status(profile);
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('does not wait out a Retry-After beyond its limit, and says when to retry', async () => {
    const { server, seen } = scripted([problem(429, 'rate_limited', { 'retry-after': '120' })]);
    const api = new DeviceApi({ origin: await listen(server), retry: { maxDelayMs: 5000 } });
    let message = '';
    try {
      await api.status(profile);
    } catch (error) {
      expect(isCofferError(error, 'rate_limited')).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toMatch(/retry after 120 s/);
    expect(seen).toHaveLength(1);
  });

  it('gives up after its attempts, as unreachable', async () => {
    const { server, seen } = scripted([problem(503, 'server_unavailable')]);
    const api = new DeviceApi({
      origin: await listen(server),
      retry: { attempts: 3, baseDelayMs: 5 },
    });
    expect(await codeOf(api.status(profile))).toBe('server_unreachable');
    expect(seen).toHaveLength(3);
  });

  it('does not retry other failures', async () => {
    const { server, seen } = scripted([problem(500, 'internal_error')]);
    const api = new DeviceApi({ origin: await listen(server), retry: { baseDelayMs: 5 } });
    expect(await codeOf(api.status(profile))).toBe('internal_error');
    expect(seen).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores nonsense', () => {
    const response = (value: string) => ({
      status: 429,
      headers: { 'retry-after': value },
      body: new Uint8Array(),
    });
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(response('3'), now)).toBe(3000);
    expect(retryAfterMs(response('Thu, 01 Jan 2026 00:00:05 GMT'), now)).toBe(5000);
    expect(retryAfterMs(response('soon'), now)).toBeUndefined();
    const plain = { status: 503, headers: {}, body: new Uint8Array() };
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const delay = nextDelayMs(
        plain,
        attempt,
        { baseDelayMs: 100, attempts: 4 },
        now,
        () => 0.999,
      );
      expect(delay).toBeGreaterThanOrEqual(50 * 2 ** (attempt - 1));
      expect(delay).toBeLessThanOrEqual(100 * 2 ** (attempt - 1));
    }
    expect(nextDelayMs(plain, 4, { attempts: 4 }, now)).toBeUndefined();
    expect(nextDelayMs({ ...plain, status: 502 }, 1, {}, now)).toBeUndefined();
  });
});

describe('the transport', () => {
  it('sends from the local address it is given', async () => {
    const { server, seen } = scripted([ok]);
    const origin = await listen(server);
    const api = new DeviceApi({ origin, transport: { localAddress: '127.0.0.2' } });
    await api.status(profile);
    expect(seen[0]?.remote).toBe('127.0.0.2');
  });

  it('classifies refused connections and timeouts as unreachable', async () => {
    const { server } = scripted([]);
    const origin = await listen(server);
    server.close();
    expect(await codeOf(send({ method: 'GET', url: `${origin}/x`, headers: {} }))).toBe(
      'server_unreachable',
    );
    const { server: silent } = scripted([() => undefined]);
    const slow = await listen(silent);
    const started = Date.now();
    expect(
      await codeOf(send({ method: 'GET', url: `${slow}/x`, headers: {} }, { timeoutMs: 200 })),
    ).toBe('server_unreachable');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an untrusted certificate as a TLS failure, never as unreachable', async () => {
    const server = createTlsServer(untrustedCertificate(), ok);
    const origin = await listen(server);
    expect(await codeOf(send({ method: 'GET', url: `${origin}/x`, headers: {} }))).toBe(
      'tls_failed',
    );
  });

  it('refuses a success answer that is not JSON or does not match the contract', async () => {
    const html: Reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>portal</html>');
    };
    const wrong: Reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...statusBody(), protocol: 2 }));
    };
    for (const reply of [html, wrong]) {
      const { server } = scripted([reply]);
      const api = new DeviceApi({ origin: await listen(server) });
      expect(await codeOf(api.status(profile))).toBe('response_invalid');
    }
  });

  it('refuses a vault answer for another application', async () => {
    const other: Reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          protocol: 1,
          appId: randomId(),
          appKeyVersion: 1,
          serverTime: Math.floor(Date.now() / 1000),
          grants: [],
          folders: [],
          records: [],
          nextCursor: null,
        }),
      );
    };
    const { server } = scripted([other]);
    const api = new DeviceApi({ origin: await listen(server) });
    expect(await codeOf(api.vault(profile))).toBe('response_invalid');
  });

  it('passes a refusal code through and turns 502/504 into unreachable', async () => {
    const cases: [Reply, string][] = [
      [problem(403, 'device_revoked'), 'device_revoked'],
      [problem(403, 'ip_not_allowed'), 'ip_not_allowed'],
      [problem(502, 'internal_error'), 'server_unreachable'],
      [problem(504, 'internal_error'), 'server_unreachable'],
      [problem(418, 'no_such_code'), 'response_invalid'],
    ];
    for (const [reply, code] of cases) {
      const { server } = scripted([reply]);
      const api = new DeviceApi({ origin: await listen(server) });
      expect(await codeOf(api.status(profile))).toBe(code);
    }
  });
});
