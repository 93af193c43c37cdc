import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type SigningAlg = 'ES256' | 'RS256' | 'PS256' | 'EdDSA';

export interface MintOptions {
  /** Claims to set or override; `undefined` removes a default claim. */
  claims?: Record<string, unknown>;
  alg?: SigningAlg;
  /** Signs with a key this issuer never published (a forgery with a published-looking kid). */
  foreignKey?: boolean;
  kid?: string;
  /** Seconds relative to the issuer's clock. */
  iatOffset?: number;
  expOffset?: number;
}

/**
 * H2, a configurable OpenID provider: it publishes discovery and a JWKS on loopback and mints ID
 * tokens with any algorithm, key, issuer, audience, nonce, times or e-mail claims a test asks for.
 */
export interface TestIssuer {
  issuer: string;
  clientId: string;
  mint(nonce: string, options?: MintOptions): Promise<string>;
  /** A JWT with `alg: none` (unsigned), for the CVE-2022-23540 case. */
  unsigned(nonce: string, claims?: Record<string, unknown>): string;
  /** An HS256 token keyed with the published public key (CVE-2022-23541, CVE-2023-48223). */
  hmacWithPublicKey(nonce: string): Promise<string>;
  /** Publishes a new key (rotation): the server must refetch the JWKS on the unknown kid. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

interface KeyEntry {
  alg: SigningAlg;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function makeKey(alg: SigningAlg, kid: string): Promise<KeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    alg,
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

export async function startTestIssuer(
  options: { clientId?: string; now?: () => number } = {},
): Promise<TestIssuer> {
  const clientId = options.clientId ?? 'coffer-test-client';
  const now = options.now ?? Date.now;
  let keys: KeyEntry[] = await Promise.all([
    makeKey('ES256', 'es-1'),
    makeKey('RS256', 'rs-1'),
    makeKey('PS256', 'ps-1'),
    makeKey('EdDSA', 'ed-1'),
  ]);
  let rotation = 1;
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      send({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ['ES256'],
      });
    } else if (req.url === '/jwks') {
      send({ keys: keys.map((k) => k.publicJwk) });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function payload(nonce: string, mint: MintOptions): JWTPayload {
    const t = Math.floor(now() / 1000);
    const claims: Record<string, unknown> = {
      iss: issuer,
      sub: 'alice-subject',
      aud: clientId,
      nonce,
      iat: t + (mint.iatOffset ?? 0),
      exp: t + (mint.expOffset ?? 300),
      email: 'alice@example.com',
      email_verified: true,
      ...mint.claims,
    };
    for (const [key, value] of Object.entries(claims)) if (value === undefined) delete claims[key];
    return claims;
  }

  return {
    issuer,
    clientId,
    async mint(nonce, mint = {}) {
      const alg = mint.alg ?? 'ES256';
      const entry = keys.find((k) => k.alg === alg);
      if (!entry) throw new Error(`no ${alg} key`);
      const signer = mint.foreignKey ? await makeKey(alg, entry.kid) : entry;
      return new SignJWT(payload(nonce, mint))
        .setProtectedHeader({ alg, kid: mint.kid ?? entry.kid, typ: 'JWT' })
        .sign(signer.privateKey);
    },
    unsigned(nonce, claims = {}) {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload(nonce, { claims }))}.`;
    },
    async hmacWithPublicKey(nonce) {
      const rsa = keys.find((k) => k.alg === 'RS256');
      if (!rsa) throw new Error('no RSA key');
      const secret = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
      return new SignJWT(payload(nonce, {}))
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .sign(secret);
    },
    async rotate() {
      rotation += 1;
      keys = [await makeKey('ES256', `es-${rotation}`), ...keys.filter((k) => k.alg !== 'ES256')];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
