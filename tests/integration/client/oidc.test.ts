import { describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  chooseClientId,
  createSignInAttempt,
  discoverProvider,
  idTokenNonce,
  readRedirect,
  type FetchLike,
} from '../../../shared/client/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { createHash } from 'node:crypto';

const provider = {
  issuer: 'https://login.example.com',
  authorizationEndpoint: 'https://login.example.com/auth',
  tokenEndpoint: 'https://login.example.com/token',
};

async function attempt() {
  return createSignInAttempt({
    provider,
    clientId: 'coffer-web',
    redirectUri: 'https://vault.example.com/signin/callback',
    nonce: 'server-issued-nonce-0123456789',
  });
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a CofferError');
}

function discovery(body: Record<string, unknown>): FetchLike {
  return async () => new Response(JSON.stringify(body), { status: 200 });
}

describe('the sign-in attempt (PKCE S256, state, nonce)', () => {
  it(
    'draws a fresh verifier and state per attempt, ' + 'with the S256 challenge of the verifier',
    async () => {
      const one = await attempt();
      const two = await attempt();
      expect(one.codeVerifier).not.toBe(two.codeVerifier);
      expect(one.state).not.toBe(two.state);
      expect(one.codeVerifier.length).toBeGreaterThanOrEqual(43);
      const expected = createHash('sha256').update(one.codeVerifier).digest('base64url');
      expect(one.codeChallenge).toBe(expected);
      const url = new URL(authorizationUrl(one));
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toBe(expected);
      expect(url.searchParams.get('nonce')).toBe('server-issued-nonce-0123456789');
      expect(url.searchParams.get('code_verifier')).toBeNull();
    },
  );

  it('accepts only the redirect with its exact state (OA-02)', async () => {
    const a = await attempt();
    const old = await attempt();
    const params = (q: Record<string, string>) => new URLSearchParams(q);
    expect(readRedirect(a, params({ code: 'c0de', state: a.state }))).toBe('c0de');
    expect(codeOf(() => readRedirect(a, params({ code: 'c0de' })))).toBe('signin_state_mismatch');
    expect(codeOf(() => readRedirect(a, params({ code: 'c', state: old.state })))).toBe(
      'signin_state_mismatch',
    );
    expect(codeOf(() => readRedirect(a, params({ error: 'access_denied' })))).toBe(
      'signin_state_mismatch',
    );
    expect(codeOf(() => readRedirect(a, params({ error: 'access_denied', state: a.state })))).toBe(
      'signin_provider_error',
    );
    expect(
      codeOf(() =>
        readRedirect(a, params({ code: 'c', state: a.state, iss: 'https://evil.example.com' })),
      ),
    ).toBe('signin_state_mismatch');
  });

  it('reads the nonce of an ID token for comparison', () => {
    const payload = Buffer.from(JSON.stringify({ nonce: 'n-1', sub: 'alice' })).toString(
      'base64url',
    );
    expect(idTokenNonce(`e30.${payload}.sig`)).toBe('n-1');
    expect(idTokenNonce('garbage')).toBeUndefined();
  });

  it('refuses a provider that does not advertise S256 (OA-01)', async () => {
    const base = {
      issuer: provider.issuer,
      authorization_endpoint: provider.authorizationEndpoint,
      token_endpoint: provider.tokenEndpoint,
    };
    const refused = async (body: Record<string, unknown>) => {
      try {
        await discoverProvider(provider.issuer, 'advertised', discovery(body));
      } catch (error) {
        return isCofferError(error) ? error.code : 'other';
      }
      return 'accepted';
    };
    expect(await refused(base)).toBe('config_invalid');
    expect(await refused({ ...base, code_challenge_methods_supported: ['plain'] })).toBe(
      'config_invalid',
    );
    expect(
      await refused({
        ...base,
        issuer: 'https://other.example.com',
        code_challenge_methods_supported: ['S256'],
      }),
    ).toBe('config_invalid');
    expect(await refused({ ...base, code_challenge_methods_supported: ['S256'] })).toBe('accepted');
  });

  it('takes S256 as verified only where configured and the document is silent', async () => {
    // Entra ID's discovery document has no code_challenge_methods_supported at all.
    const entra = {
      issuer: provider.issuer,
      authorization_endpoint: provider.authorizationEndpoint,
      token_endpoint: provider.tokenEndpoint,
    };
    const outcome = async (body: Record<string, unknown>, pkce?: 'advertised' | 'S256') => {
      try {
        await discoverProvider(provider.issuer, pkce, discovery(body));
      } catch (error) {
        return isCofferError(error) ? `${error.code}: ${error.message}` : 'other';
      }
      return 'accepted';
    };
    expect(await outcome(entra)).toMatch(/^config_invalid: .*does not advertise PKCE with S256/);
    expect(await outcome(entra, 'advertised')).toMatch(/^config_invalid/);
    expect(await outcome(entra, 'S256')).toBe('accepted');
    for (const methods of [['plain'], [], ['s256'], ['plain', 'S256 ']]) {
      const body = { ...entra, code_challenge_methods_supported: methods };
      expect(await outcome(body, 'S256'), JSON.stringify(methods)).toMatch(
        /^config_invalid: .*does not support PKCE with S256/,
      );
    }
    const metadata = await discoverProvider(provider.issuer, 'S256', discovery(entra));
    const url = new URL(
      authorizationUrl(
        await createSignInAttempt({
          provider: metadata,
          clientId: 'coffer-desktop',
          redirectUri: 'http://127.0.0.1/callback',
          nonce: 'server-issued-nonce-0123456789',
        }),
      ),
    );
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('picks the web client id for the web build and the other for the desktop', () => {
    expect(chooseClientId(['coffer-desktop', 'coffer-web'], 'web')).toBe('coffer-web');
    expect(chooseClientId(['coffer-desktop', 'coffer-web'], 'desktop')).toBe('coffer-desktop');
    expect(chooseClientId(['only-one'], 'web')).toBe('only-one');
  });
});
