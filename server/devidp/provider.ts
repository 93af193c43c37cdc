import type { FastifyBaseLogger } from 'fastify';
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import {
  acceptPerAttemptRedirects,
  corsOriginAllowed,
  DESKTOP_CLIENT,
  DESKTOP_CLIENT_ID,
} from './desktop-client.ts';
import { loginPage } from './login-page.ts';
import { safeError } from '../http/problem.ts';
import type { IdentityProviderConfig } from '../config/schema.ts';

export const WEB_CLIENT_ID = 'coffer-web';
export const DEMO_SUBJECT = 'demo-alice';

export interface DevIdentityProvider {
  issuer: string;
  clientIds: string[];
  demo: { subject: string; email: string; password: string };
  close(): Promise<void>;
}

export interface DevIdpOptions {
  port: number;
  demoEmail: string;
  demoPassword: string | undefined;
  /** The web build's origin, where its client is redirected back. */
  webOrigin: string;
  log: FastifyBaseLogger;
}

const FORM_LIMIT = 4096;

/**
 * The built-in OpenID provider for development (oidc-provider, a certified implementation), on
 * loopback only. One seeded demo user; a public native client for the desktop app (RFC 8252
 * loopback redirect on any port, with the app's per-attempt path) and a public client for the web
 * build, both with PKCE S256 only.
 */
export async function startDevIdentityProvider(
  options: DevIdpOptions,
): Promise<DevIdentityProvider> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const demo = {
    subject: DEMO_SUBJECT,
    email: options.demoEmail,
    password: options.demoPassword ?? randomBytes(12).toString('base64url'),
  };
  const provider = new Provider(issuer, await providerConfiguration(demo, options.webOrigin));
  acceptPerAttemptRedirects(provider);
  const providerHandler = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,128})(\/login)?$/.exec(req.url ?? '');
    if (!match?.[1]) {
      providerHandler(req, res);
      return;
    }
    handleInteraction(provider, demo, req, res, match[1], match[2] !== undefined).catch((error) => {
      options.log.warn({ err: safeError(error) }, 'interaction failed');
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('The sign-in attempt failed or expired; start again from the app.');
    });
  });

  options.log.warn(
    { issuer, demoEmail: demo.email },
    'DEVELOPMENT IDENTITY PROVIDER running: for development only, never for real accounts',
  );
  return {
    issuer,
    clientIds: [DESKTOP_CLIENT_ID, WEB_CLIENT_ID],
    demo,
    close: () => closeServer(server),
  };
}

async function providerConfiguration(
  demo: DevIdentityProvider['demo'],
  webOrigin: string,
): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: randomBytes(8).toString('hex'),
    alg: 'ES256',
    use: 'sig',
  };
  return {
    clients: [
      DESKTOP_CLIENT,
      {
        client_id: WEB_CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${webOrigin}/signin/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    // The desktop client's registered URI is a placeholder (desktop-client.ts): a request without
    // redirect_uri must not fall back to it.
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: (_ctx, origin, client) =>
      corsOriginAllowed(client.clientId, origin, webOrigin),
    jwks: { keys: [signingKey] as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The e-mail claims belong in the ID token itself: Coffer's server sees only that token.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) =>
      sub === demo.subject
        ? {
            accountId: sub,
            claims: () => ({ sub, email: demo.email, email_verified: true }),
          }
        : undefined,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Short lives: a development sign-in is used at once, and nothing here is kept on disk.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Grant: 8 * 3600,
      Session: 8 * 3600,
    },
  };
}

async function handleInteraction(
  provider: Provider,
  demo: DevIdentityProvider['demo'],
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  submitted: boolean,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('unexpected interaction');
  if (details.prompt.name === 'consent') {
    await grantConsent(provider, details, res, req);
    return;
  }
  if (details.prompt.name !== 'login') throw new Error('unexpected prompt');
  if (!submitted || req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(uid, { email: demo.email, failed: false }));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const emailOk = form.get('email') === demo.email;
  const passwordOk = sameSecret(form.get('password') ?? '', demo.password);
  if (!emailOk || !passwordOk) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(uid, { email: demo.email, failed: true }));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: demo.subject } },
    {
      mergeWithLastSubmission: false,
    },
  );
}

/**
 * Both clients are first-party, so consent is granted for exactly what the client asked; the
 * only question the provider puts to the user is the password.
 */
async function grantConsent(
  provider: Provider,
  details: Awaited<ReturnType<Provider['interactionDetails']>>,
  res: ServerResponse,
  req: IncomingMessage,
): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = details.params['client_id'];
  if (!accountId || typeof clientId !== 'string') throw new Error('consent without a session');
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant vanished');
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** Compares digests so neither length nor content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > FORM_LIMIT) {
        reject(new Error('form too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** The development provider signs in its demo user, who is an admin, and that domain only. */
export function devProviderConfig(idp: DevIdentityProvider): IdentityProviderConfig {
  return {
    issuer: idp.issuer,
    clientIds: idp.clientIds,
    allowedEmailDomains: [idp.demo.email.slice(idp.demo.email.lastIndexOf('@') + 1).toLowerCase()],
    groupsClaim: 'groups',
    allowedGroups: [],
    adminSubjects: [idp.demo.subject],
    adminGroups: [],
    desktopRedirect: 'per-attempt-path',
    pkce: 'advertised',
  };
}
