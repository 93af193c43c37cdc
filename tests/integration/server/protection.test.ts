import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  randomId,
  toBase64Url,
  utf8,
} from '../../../shared/crypto/index.ts';
import { signDeviceRequest } from '../../../shared/keys/index.ts';
import { DEVICE_ROUTES } from '../../../shared/protocol/device-api.ts';
import { problemDetailsSchema } from '../../../shared/protocol/problem-details.ts';
import { startServer } from '../../../server/start.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { ApiResponse, Harness } from './support/harness.ts';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // The web build's pages carry a longer policy of their own; both forbid framing and default
  // to nothing.
  'content-security-policy': expect.stringMatching(/^default-src 'none';.*frame-ancestors 'none'/),
};

function expectLimited(response: ApiResponse) {
  expect({ status: response.status, code: response.body['code'] }).toEqual({
    status: 429,
    code: 'rate_limited',
  });
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

function expectSecurityHeaders(response: ApiResponse) {
  const present = Object.fromEntries(
    Object.keys(SECURITY_HEADERS).map((name) => [name, response.headers.get(name)]),
  );
  expect(present).toEqual(SECURITY_HEADERS);
}

/** A signed request for `deviceId`, with a key the server never saw. */
async function wrongKeyRequest(url: string, deviceId: string, localAddress?: string) {
  const signing = await generateSigningKeyPair();
  const path = DEVICE_ROUTES.status.path;
  const headers = await signDeviceRequest(
    { deviceId, signingPrivateKey: signing.privateKey },
    { method: 'GET', pathWithQuery: path, host: new URL(url).host, body: new Uint8Array() },
    Math.floor(Date.now() / 1000),
  );
  return send(url, 'GET', path, { headers, ...(localAddress ? { localAddress } : {}) });
}

/** A signed request from a device id the server never bound. */
function unknownDeviceRequest(url: string, localAddress?: string) {
  return wrongKeyRequest(url, randomId(), localAddress);
}

describe.each(DATABASES)('protection on $name', (target) => {
  describe('per-address rate limits before authentication', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(target, {
        rateLimits: {
          signInPerAddressPerMinute: 3,
          noncePerAddressPerMinute: 4,
          unknownDevicePerAddressPerMinute: 2,
          apiPerAddressPerMinute: 1_000_000,
        },
      });
    });
    afterAll(() => h.close());

    it(
      'limits sign-in exchanges per address, ' + 'and another address keeps its own budget',
      async () => {
        const attempt = (localAddress?: string) =>
          send(h.server.url, 'POST', '/api/v1/auth/session', {
            body: utf8(JSON.stringify({ idToken: 'not-a-token' })),
            ...(localAddress ? { localAddress } : {}),
          });
        const first = [await attempt(), await attempt(), await attempt()];
        expect(first.map((r) => r.status)).toEqual([401, 401, 401]);
        expectLimited(await attempt());
        expect((await attempt('127.0.0.2')).status).toBe(401);
      },
    );

    it('limits login nonces per address', async () => {
      const issued = [];
      for (let i = 0; i < 4; i += 1)
        issued.push((await h.api('POST', '/api/v1/auth/nonce')).status);
      expect(issued).toEqual([201, 201, 201, 201]);
      const limited = await h.api('POST', '/api/v1/auth/nonce');
      expectLimited(limited);
      expectSecurityHeaders(limited);
    });

    it('limits signed requests from unknown devices per address', async () => {
      const statuses = [
        (await unknownDeviceRequest(h.server.url)).status,
        (await unknownDeviceRequest(h.server.url)).status,
      ];
      expect(statuses).toEqual([401, 401]);
      expectLimited(await unknownDeviceRequest(h.server.url));
      expect((await unknownDeviceRequest(h.server.url, '127.0.0.3')).status).toBe(401);
    });
  });

  it('AC-01: known devices with bad signatures share the unknown-device budget', async () => {
    const h = await startHarness(target, { rateLimits: { unknownDevicePerAddressPerMinute: 2 } });
    try {
      const alice = await TestManager.signIn(h, 'alice');
      const minted = await alice.mint(await alice.app(), { ipRule: { type: 'none' } });
      const device = await TestDevice.redeem(h, minted.token);
      const from = '127.0.0.5';
      const known = () => wrongKeyRequest(h.server.url, device.profile.deviceId, from);
      const madeUp = () => wrongKeyRequest(h.server.url, randomId(), from);
      expect([(await known()).status, (await madeUp()).status]).toEqual([401, 401]);
      const past = [await known(), await madeUp()];
      for (const response of past) expectLimited(response);
      // Alike but for the seconds left, which may tick between the two.
      const seconds = (text = '') => text.replace(/\d+/g, 'N');
      expect(seconds(past[0]?.text)).toBe(seconds(past[1]?.text));
      // The device itself, signing with its own key, is not held back by what others sent.
      const own = await device.request('GET', DEVICE_ROUTES.status.path, undefined, {
        localAddress: from,
      });
      expect(own.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it(
    'counts the general per-address budget in ' + 'the database, so two replicas share it',
    async () => {
      const h = await startHarness(target, { rateLimits: { apiPerAddressPerMinute: 6 } });
      const replica = await startServer({
        ...h.server.config,
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [],
        logLevel: 'silent',
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i += 1) {
          statuses.push((await send(h.server.url, 'GET', '/api/v1/health')).status);
          statuses.push((await send(replica.url, 'GET', '/api/v1/health')).status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
        expectLimited(await send(replica.url, 'GET', '/api/v1/health'));
        expectLimited(await send(h.server.url, 'GET', '/api/v1/auth/providers'));
        // Only the API is budgeted; another address is untouched.
        expect(
          (await send(h.server.url, 'GET', '/api/v1/health', { localAddress: '127.0.0.4' })).status,
        ).toBe(200);
      } finally {
        await replica.close();
        await h.close();
      }
    },
  );
});

describe('request size limits and security headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(DATABASES[0]!);
  });
  afterAll(() => h.close());

  it('bounds every body: 64 KiB, a batch mint 128 KiB, a record (6 MiB ciphertext) 9 MiB', () => {
    const api = h.server.routes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(30);
    // Records carry ciphertext; a mint may register several devices at once.
    const ceiling = (url: string) =>
      /\/records(\/|$)/.test(url) ? 9 << 20 : url.endsWith('/devices') ? 128 << 10 : 64 << 10;
    const unbounded = api.filter((r) => r.bodyLimit === undefined || r.bodyLimit > ceiling(r.url));
    expect(unbounded).toEqual([]);
  });

  it('refuses a body one byte over its limit on every route, before authentication', async () => {
    const writes = h.server.routes.filter(
      (r) => r.url.startsWith('/api/') && ['POST', 'PUT', 'DELETE'].includes(r.method),
    );
    const answers = [];
    for (const route of writes) {
      const path = route.url.replace(/:[a-zA-Z]+/g, randomId());
      const over = (route.bodyLimit ?? 0) + 1;
      const huge = utf8(JSON.stringify({ ciphertext: 'A'.repeat(over) }).slice(0, over));
      const response = await send(h.server.url, route.method, path, { body: huge });
      answers.push({ route: `${route.method} ${route.url}`, status: response.status });
      expectSecurityHeaders(response);
    }
    expect(answers.filter((a) => a.status !== 413)).toEqual([]);
  });

  it(
    'sends the security headers on successes, ' + 'refusals, unknown paths and preflights',
    async () => {
      const { token } = await h.signIn('headers-user');
      const responses = [
        await h.api('GET', '/api/v1/health'),
        await h.api('GET', '/api/v1/auth/session', { token }),
        await h.api('GET', '/api/v1/vault/sync'),
        await h.api('GET', '/api/v1/no-such-route'),
        await h.api('POST', '/api/v1/vault/folders', { token, body: { id: 'x' } }),
        await send(h.server.url, 'GET', DEVICE_ROUTES.vault.path),
        await send(h.server.url, 'OPTIONS', '/api/v1/health', {
          headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
        }),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 404, 400, 401, 404]);
      for (const response of responses) expectSecurityHeaders(response);
    },
  );

  it('answers oversized headers with 431 as a problem document like any error', async () => {
    const response = await send(h.server.url, 'GET', '/api/v1/health', {
      headers: { 'x-padding': toBase64Url(new Uint8Array(48 * 1024)) },
    });
    expectProblemBody(response, 431, 'payload_too_large');
    expect(response.body['detail']).toContain('headers are larger than the server accepts');
  });

  it('answers a request Node cannot parse with a 400 problem document', async () => {
    const response = await rawExchange(
      h.server.url,
      'GET /api/v1/health HTTP/1.1\r\nHo st\r\n\r\n',
    );
    expectProblemBody(response, 400, 'invalid_input');
  });
});

/** Status, media type, a valid problem body whose status matches, and the security headers. */
function expectProblemBody(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, code: response.body['code'] }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(problemDetailsSchema.parse(response.body)).toMatchObject({ status, code });
  expectSecurityHeaders(response);
}

/** Sends `bytes` as they are and parses what comes back: for requests no HTTP client sends. */
function rawExchange(url: string, bytes: string): Promise<ApiResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: body ? (JSON.parse(body) as ApiResponse['body']) : {},
        text: body,
      });
    });
  });
}
