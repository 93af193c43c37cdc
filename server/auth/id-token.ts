import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { CofferError } from '../../shared/errors.ts';
import type { ErrorCode } from '../../shared/protocol/error-codes.ts';
import type { IdentityProviderConfig } from '../config/schema.ts';

/**
 * Asymmetric algorithms only. `none` and every HMAC algorithm are refused before any key is
 * looked at (CVE-2022-23540, CVE-2022-23541: verification falling back to `none`, or an RSA
 * public key used as an HMAC secret).
 */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;

/** OA-04: skew at most 60 seconds. */
const CLOCK_SKEW_SECONDS = 60;

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  groups: string[];
  nonce: string;
  provider: IdentityProviderConfig;
}

export interface IdTokenVerifierOptions {
  /** The server clock in milliseconds (tests pass a separate clock, H4). */
  now: () => number;
  /** The oldest `iat` accepted: an ID token is used at once, within its login nonce's lifetime. */
  maxAgeSeconds: number;
  /**
   * The least time between two JWKS fetches of one issuer, so tokens with made-up kids cannot
   * make us hammer the provider; a real rotation waits this long at most.
   */
  jwksCooldownMs?: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

const fail = (code: ErrorCode, message: string, cause?: unknown): CofferError =>
  new CofferError(code, message, cause === undefined ? undefined : { cause });

/**
 * Verifies ID tokens from the configured issuers (OIDC Core §3.1.3.7). Each issuer's JWKS comes
 * from its discovery document; jose caches it and refetches on an unknown `kid` (with a cooldown
 * so forged kids cannot make us hammer the provider). Header `jku`/`x5u`/`jwk` are never used.
 */
export function createIdTokenVerifier(
  providers: readonly IdentityProviderConfig[],
  options: IdTokenVerifierOptions,
): { verify(token: string): Promise<VerifiedIdentity> } {
  const byIssuer = new Map(providers.map((p) => [p.issuer, p]));
  const keySets = new Map<string, Promise<KeySet>>();

  function keySetFor(issuer: string): Promise<KeySet> {
    let pending = keySets.get(issuer);
    if (!pending) {
      pending = discoverKeySet(issuer, options.jwksCooldownMs ?? 30_000);
      keySets.set(issuer, pending);
      // A failed discovery is retried on the next sign-in rather than cached forever.
      pending.catch(() => keySets.delete(issuer));
    }
    return pending;
  }

  return {
    async verify(token) {
      const { alg, claims } = decodeUnverified(token);
      if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
        throw fail('id_token_algorithm_refused', 'The ID token is signed with a refused algorithm');
      }
      const provider = typeof claims.iss === 'string' ? byIssuer.get(claims.iss) : undefined;
      if (!provider) {
        throw fail('id_token_unknown_issuer', 'The ID token comes from an issuer not configured');
      }
      const keySet = await keySetFor(provider.issuer);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          algorithms: [...ALLOWED_ALGORITHMS],
          issuer: provider.issuer,
          audience: provider.clientIds,
          clockTolerance: CLOCK_SKEW_SECONDS,
          maxTokenAge: options.maxAgeSeconds,
          currentDate: new Date(options.now()),
          requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
        }));
      } catch (error) {
        throw mapJoseError(error);
      }
      checkAuthorizedParty(payload, provider);
      return toIdentity(payload, provider);
    },
  };
}

function decodeUnverified(token: string): { alg: string; claims: JWTPayload } {
  try {
    const header = decodeProtectedHeader(token);
    return { alg: String(header.alg), claims: decodeJwt(token) };
  } catch (cause) {
    throw fail('id_token_malformed', 'The ID token is not a well-formed JWT', cause);
  }
}

async function discoverKeySet(issuer: string, cooldownMs: number): Promise<KeySet> {
  // OIDC Discovery §4: the document lives under the issuer, whose own value must match exactly.
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (cause) {
    throw fail('identity_provider_unavailable', 'The identity provider cannot be reached', cause);
  }
  if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') {
    throw fail(
      'identity_provider_unavailable',
      'The identity provider published a bad discovery document',
    );
  }
  const jwksUri = new URL(document.jwks_uri);
  const issuerUrl = new URL(issuer);
  if (jwksUri.protocol !== 'https:' && jwksUri.origin !== issuerUrl.origin) {
    throw fail(
      'identity_provider_unavailable',
      'The identity provider keys are not served over https',
    );
  }
  return createRemoteJWKSet(jwksUri, {
    timeoutDuration: 5000,
    cooldownDuration: cooldownMs,
    cacheMaxAge: 10 * 60_000,
  });
}

function mapJoseError(error: unknown): CofferError {
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return fail(
      'id_token_algorithm_refused',
      'The ID token is signed with a refused algorithm',
      error,
    );
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return fail('id_token_bad_signature', 'The ID token signature does not verify', error);
  }
  if (error instanceof errors.JWTExpired) {
    return fail('id_token_expired', 'The ID token has expired or is too old', error);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return fail('id_token_issuer_mismatch', 'The ID token issuer does not match', error);
      case 'aud':
        return fail(
          'id_token_audience_mismatch',
          'The ID token is not meant for this server',
          error,
        );
      case 'iat':
      case 'nbf':
        return fail('id_token_issued_in_future', 'The ID token is dated in the future', error);
      default:
        return fail(
          'id_token_malformed',
          `The ID token lacks a valid "${error.claim}" claim`,
          error,
        );
    }
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return fail(
      'identity_provider_unavailable',
      'The identity provider keys cannot be fetched',
      error,
    );
  }
  if (error instanceof errors.JOSEError) {
    return fail('id_token_malformed', 'The ID token cannot be verified', error);
  }
  return fail(
    'identity_provider_unavailable',
    'The identity provider keys cannot be fetched',
    error,
  );
}

/**
 * OIDC Core §3.1.3.7 steps 4–5: with several audiences an `azp` must be present, and any `azp`
 * must be one of our client ids, so a token minted for another client cannot be replayed here.
 */
function checkAuthorizedParty(payload: JWTPayload, provider: IdentityProviderConfig): void {
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const azp = payload['azp'];
  if (audiences.length > 1 && azp === undefined) {
    throw fail('id_token_audience_mismatch', 'The ID token has several audiences but no azp');
  }
  if (azp !== undefined && (typeof azp !== 'string' || !provider.clientIds.includes(azp))) {
    throw fail('id_token_audience_mismatch', 'The ID token was issued to another client (azp)');
  }
}

function toIdentity(payload: JWTPayload, provider: IdentityProviderConfig): VerifiedIdentity {
  const nonce = payload['nonce'];
  if (typeof nonce !== 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
    throw fail('id_token_malformed', 'The ID token lacks a subject or nonce');
  }
  const email = payload['email'];
  const groups = payload[provider.groupsClaim];
  return {
    issuer: provider.issuer,
    subject: payload.sub,
    email: typeof email === 'string' ? email : undefined,
    // Only a real boolean true counts: a string "true" or a missing claim is unverified.
    emailVerified: payload['email_verified'] === true,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    nonce,
    provider,
  };
}
