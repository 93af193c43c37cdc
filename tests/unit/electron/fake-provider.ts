import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An OpenID provider on 127.0.0.1 whose every answer a test can bend: the discovery document,
 * the redirect back to the app and the token response. It really checks PKCE (the verifier must
 * hash to the challenge it was sent) and puts the authorization request's nonce into an
 * unsigned ID token; main compares only the nonce, the Coffer server verifies signatures.
 * It records each request so a test can say who asked for what.
 */

export interface Exchange {
  readonly code: string;
  readonly verifier: string;
}

export interface FakeProviderBehaviour {
  /** Changes to the discovery document; `undefined` values remove a field. */
  discovery?: (issuer: string) => Record<string, unknown>;
  /** Takes over the discovery response entirely (slow or oversized answers). */
  discoveryRaw?: (res: ServerResponse) => void;
  /** Query the authorization endpoint redirects back with, given the real one. */
  callback?: (query: URLSearchParams) => URLSearchParams;
  /** Takes over the token response, after the request was recorded. */
  tokenRaw?: (res: ServerResponse, idToken: string) => void;
  /** The nonce the ID token carries, given the one asked for. */
  tokenNonce?: (nonce: string) => string;
}

export interface FakeProvider {
  readonly issuer: string;
  readonly requests: string[];
  readonly exchanges: Exchange[];
  behave(next: FakeProviderBehaviour): void;
  close(): Promise<void>;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeProvider(): Promise<FakeProvider> {
  let behaviour: FakeProviderBehaviour = {};
  const requests: string[] = [];
  const exchanges: Exchange[] = [];
  const pending = new Map<string, { challenge: string; nonce: string }>();
  const sockets = new Set<Socket>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/.well-known/openid-configuration') {
      if (behaviour.discoveryRaw) return behaviour.discoveryRaw(res);
      const document: Record<string, unknown> = {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/keys`,
        code_challenge_methods_supported: ['S256'],
        ...behaviour.discovery?.(issuer),
      };
      return json(res, 200, document);
    }
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('base64url');
      pending.set(code, {
        challenge: url.searchParams.get('code_challenge') ?? '',
        nonce: url.searchParams.get('nonce') ?? '',
      });
      const query = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = (behaviour.callback?.(query) ?? query).toString();
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      void readBody(req).then((body) => {
        const form = new URLSearchParams(body);
        const code = form.get('code') ?? '';
        const verifier = form.get('code_verifier') ?? '';
        exchanges.push({ code, verifier });
        const issued = pending.get(code);
        pending.delete(code);
        const hashed = createHash('sha256').update(verifier).digest('base64url');
        if (issued === undefined || hashed !== issued.challenge) {
          return json(res, 400, { error: 'invalid_grant' });
        }
        const nonce = behaviour.tokenNonce?.(issued.nonce) ?? issued.nonce;
        const idToken = [
          base64url({ alg: 'ES256', typ: 'JWT' }),
          base64url({ iss: issuer, sub: 'alice', aud: form.get('client_id'), nonce }),
          'c2lnbmF0dXJl',
        ].join('.');
        if (behaviour.tokenRaw) return behaviour.tokenRaw(res, idToken);
        return json(res, 200, { id_token: idToken, token_type: 'Bearer', access_token: 'at' });
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    requests,
    exchanges,
    behave(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Slow-answer tests leave responses open on purpose.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The system browser for the fake provider: follows its redirect to the app's listener. */
export async function followRedirect(authorizationUrl: string): Promise<void> {
  const answer = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (location !== null) await fetch(location);
}
