import { z } from 'zod';
import {
  fromBase64Url,
  fromUtf8,
  randomBytes,
  sha256,
  toBase64Url,
  utf8,
} from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import type { PkcePolicy } from '../protocol/identity-provider.ts';
import type { FetchLike } from './api-client.ts';

/**
 * The app's half of the OpenID Connect authorization code flow with PKCE (DESIGN.md "Identity
 * and unlock"): discovery, a fresh S256 verifier, `state` and the server's login nonce per
 * attempt, the code exchange, and the checks the app owns — `state` and `iss` on the redirect
 * (SECURITY-CASES OA-02, RFC 9207) and `nonce` in the ID token. The server verifies the token's
 * signature and claims and consumes the nonce.
 */

export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

const discoverySchema = z.object({
  issuer: z.string().max(2048),
  authorization_endpoint: z.string().url().max(2048),
  token_endpoint: z.string().url().max(2048),
  code_challenge_methods_supported: z.array(z.string().max(64)).max(16).optional(),
});

/** The longest ID token the apps accept; real ones are a few kilobytes. */
export const ID_TOKEN_MAX_LENGTH = 16 * 1024;

const tokenResponseSchema = z.object({
  id_token: z.string().min(1).max(ID_TOKEN_MAX_LENGTH),
});

/**
 * Fetches and checks a provider's discovery document (OIDC Discovery §4.3, RFC 8414 §3.3).
 * `pkce` is the server's setting for this provider: `S256` when an administrator has verified
 * support that the document does not advertise.
 */
export async function discoverProvider(
  issuer: string,
  pkce: PkcePolicy = 'advertised',
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
): Promise<ProviderMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const response = await fetchImpl(url, { method: 'GET', credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    // A fetch that says why itself (the desktop app's time-out or size cap) is passed on.
    if (isCofferError(error)) throw error;
    throw new CofferError(
      'identity_provider_unavailable',
      'The identity provider could not be reached; try again or ask your administrator.',
      { cause: error },
    );
  }
  const parsed = discoverySchema.safeParse(body);
  if (!parsed.success || parsed.data.issuer !== issuer) {
    throw new CofferError(
      'config_invalid',
      'The identity provider published an invalid configuration (its issuer does not match).',
    );
  }
  requireS256(parsed.data.code_challenge_methods_supported, pkce);
  for (const endpoint of [parsed.data.authorization_endpoint, parsed.data.token_endpoint]) {
    requireSecureEndpoint(endpoint);
  }
  return {
    issuer,
    authorizationEndpoint: parsed.data.authorization_endpoint,
    tokenEndpoint: parsed.data.token_endpoint,
  };
}

/**
 * OA-01: a provider that does not advertise S256 is refused outright, never downgraded. The one
 * exception is a document that omits the list altogether (Entra ID) for a provider whose support
 * the administrator has asserted; a list without S256 is refused whatever the setting says. The
 * attempt always sends S256, so a provider without it fails the sign-in rather than skip PKCE.
 */
function requireS256(methods: readonly string[] | undefined, pkce: PkcePolicy): void {
  if (methods === undefined) {
    if (pkce === 'S256') return;
    throw new CofferError(
      'config_invalid',
      'The identity provider does not advertise PKCE with S256; sign-in is refused. Ask your ' +
        'administrator to enable it, or to confirm that the provider supports it.',
    );
  }
  if (!methods.includes('S256')) {
    throw new CofferError(
      'config_invalid',
      'The identity provider does not support PKCE with S256; sign-in is refused. Ask your ' +
        'administrator to enable it.',
    );
  }
}

function requireSecureEndpoint(value: string): void {
  const url = new URL(value);
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CofferError(
      'config_invalid',
      'The identity provider endpoints must use https (http only on loopback).',
    );
  }
}

/** One sign-in attempt's secrets; never reused (OA-01) and dropped once the attempt ends. */
export interface SignInAttempt {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
}

/** RFC 7636 §4.1–4.2: 32 random bytes as the verifier, its SHA-256 as the S256 challenge. */
export async function createSignInAttempt(options: {
  provider: ProviderMetadata;
  clientId: string;
  redirectUri: string;
  nonce: string;
}): Promise<SignInAttempt> {
  const codeVerifier = toBase64Url(randomBytes(32));
  const codeChallenge = toBase64Url(await sha256(utf8(codeVerifier)));
  return {
    issuer: options.provider.issuer,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    state: toBase64Url(randomBytes(32)),
    nonce: options.nonce,
    codeVerifier,
    codeChallenge,
    tokenEndpoint: options.provider.tokenEndpoint,
    authorizationEndpoint: options.provider.authorizationEndpoint,
  };
}

export const SIGNIN_SCOPE = 'openid email';

/** The URL the browser is sent to for this attempt. */
export function authorizationUrl(attempt: SignInAttempt): string {
  const url = new URL(attempt.authorizationEndpoint);
  const params = {
    client_id: attempt.clientId,
    response_type: 'code',
    scope: SIGNIN_SCOPE,
    redirect_uri: attempt.redirectUri,
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: attempt.codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * Checks the redirect's query against the attempt. `state` is compared before anything else,
 * so an `error=` callback without the right state neither finishes nor cancels the attempt
 * (OA-02, stacklok/toolhive#6238). Answers the authorization code.
 */
export function readRedirect(attempt: SignInAttempt, params: URLSearchParams): string {
  const state = params.get('state');
  if (state === null || state !== attempt.state) {
    throw new CofferError(
      'signin_state_mismatch',
      'This sign-in response does not belong to the sign-in you started; start again.',
    );
  }
  checkRedirectIssuer(attempt, params.get('iss') ?? undefined);
  const error = params.get('error');
  if (error !== null) {
    const known = /^[a-z_]{1,64}$/.test(error) ? error : 'unknown';
    throw new CofferError(
      'signin_provider_error',
      `The identity provider refused the sign-in (${known}); try again.`,
    );
  }
  const code = params.get('code');
  if (code === null || code === '' || code.length > 2048) {
    throw new CofferError('signin_provider_error', 'The identity provider sent no code.');
  }
  return code;
}

/**
 * RFC 9207: a redirect that names its issuer must name this attempt's, so a code from another
 * provider (a mix-up attack) is never redeemed here. Providers that send no `iss` pass.
 */
export function checkRedirectIssuer(attempt: SignInAttempt, iss: string | undefined): void {
  if (iss !== undefined && iss !== attempt.issuer) {
    throw new CofferError(
      'signin_state_mismatch',
      'The sign-in response came from a different identity provider; start again.',
    );
  }
}

/** Redeems the code with the verifier and checks the ID token's nonce; answers the ID token. */
export async function exchangeCode(
  attempt: SignInAttempt,
  code: string,
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: attempt.clientId,
    code,
    code_verifier: attempt.codeVerifier,
    redirect_uri: attempt.redirectUri,
  });
  let json: unknown;
  let status: number;
  try {
    const response = await fetchImpl(attempt.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      credentials: 'omit',
    });
    status = response.status;
    json = await response.json();
  } catch (error) {
    if (isCofferError(error)) throw error;
    throw new CofferError(
      'identity_provider_unavailable',
      'The identity provider could not complete the sign-in; try again.',
      { cause: error },
    );
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (status !== 200 || !parsed.success) {
    throw new CofferError(
      'signin_provider_error',
      `The identity provider did not issue an ID token (HTTP ${status}); start again.`,
    );
  }
  if (idTokenNonce(parsed.data.id_token) !== attempt.nonce) {
    throw new CofferError(
      'id_token_nonce_invalid',
      'The ID token was not issued for this sign-in (nonce mismatch); start again.',
    );
  }
  return parsed.data.id_token;
}

/** Reads `nonce` from an ID token's payload. Only a comparison: the server checks the signature. */
export function idTokenNonce(idToken: string): string | undefined {
  const payload = idToken.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(fromUtf8(fromBase64Url(payload))) as unknown;
    if (typeof claims !== 'object' || claims === null) return undefined;
    const nonce = (claims as Record<string, unknown>)['nonce'];
    return typeof nonce === 'string' ? nonce : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Picks the client id for this kind of app. The server lists every client id an issuer
 * accepts; by convention a web client's id mentions "web" and the desktop client's does not.
 */
export function chooseClientId(clientIds: readonly string[], kind: 'web' | 'desktop'): string {
  const web = clientIds.find((id) => /web/i.test(id));
  const desktop = clientIds.find((id) => !/web/i.test(id));
  const chosen = kind === 'web' ? (web ?? clientIds[0]) : (desktop ?? clientIds[0]);
  if (chosen === undefined) {
    throw new CofferError('config_invalid', 'The server lists no client id for this provider.');
  }
  return chosen;
}
