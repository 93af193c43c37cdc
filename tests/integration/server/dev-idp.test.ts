import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/** A cookie jar (name and path, as browsers keep them) and manual redirects, in plain HTTP. */
class Browser {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const path = new URL(url).pathname;
    const headers = new Headers(init.headers);
    const matching = [...this.cookies.values()].filter((c) => path.startsWith(c.path));
    if (matching.length > 0)
      headers.set('cookie', matching.map((c) => `${c.name}=${c.value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const cookiePath =
        attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      const key = `${name} ${cookiePath}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
    return response;
  }

  /** Follows redirects until one leaves for `stopAt` (the app's loopback redirect URI). */
  async follow(
    url: string,
    stopAt: string,
    init: RequestInit = {},
  ): Promise<{ url: string; response: Response }> {
    let response = await this.request(url, init);
    let at = url;
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
      at = new URL(response.headers.get('location') ?? '', at).toString();
      if (at.startsWith(stopAt)) return { url: at, response };
      response = await this.request(at);
    }
    return { url: at, response };
  }
}

describe.each(DATABASES)('development identity provider on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, { devIdentityProvider: { enabled: true, port: 0 } });
  });
  afterAll(() => h.close());

  /** The desktop app's sign-in: PKCE S256, our nonce, a loopback redirect on a random port. */
  async function authorize(password: string, options: { pkce?: boolean } = {}) {
    const idp = h.server.devIdentityProvider;
    if (!idp) throw new Error('dev IdP not running');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const nonce = await h.nonce();
    const state = randomBytes(16).toString('base64url');
    const redirectUri = `http://127.0.0.1:${40000 + Math.floor(Math.random() * 20000)}/callback`;
    const params = new URLSearchParams({
      client_id: 'coffer-desktop',
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: redirectUri,
      state,
      nonce,
      ...(options.pkce === false
        ? {}
        : { code_challenge: challenge, code_challenge_method: 'S256' }),
    });
    const browser = new Browser();
    const start = await browser.follow(`${idp.issuer}/auth?${params}`, redirectUri);
    if (start.url.startsWith(redirectUri))
      return { callback: new URL(start.url), verifier, redirectUri, state };
    const page = await start.response.text();
    expect(page).toContain('<form method="post"');
    expect(page).toContain('For development only');
    const action = /action="([^"]+)"/.exec(page)?.[1] ?? '';
    const done = await browser.follow(new URL(action, start.url).toString(), redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: idp.demo.email, password }).toString(),
    });
    return {
      callback: new URL(done.url),
      verifier,
      redirectUri,
      state,
      page: await done.response.text(),
    };
  }

  async function redeem(code: string, verifier: string, redirectUri: string) {
    const idp = h.server.devIdentityProvider;
    const response = await fetch(`${idp?.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'coffer-desktop',
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
      }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it('signs the demo user in through a real authorization code flow with PKCE', async () => {
    const idp = h.server.devIdentityProvider;
    expect(idp?.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { callback, verifier, redirectUri, state } = await authorize(idp?.demo.password ?? '');
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code') ?? '';
    const tokens = await redeem(code, verifier, redirectUri);
    expect(tokens.status).toBe(200);
    const session = await h.api('POST', '/api/v1/auth/session', {
      body: { idToken: tokens.body['id_token'] },
    });
    expect(session.status).toBe(201);
    expect(session.body['user']).toMatchObject({ isAdmin: true, email: idp?.demo.email });
    expect(h.logs()).not.toContain(idp?.demo.password);
    // The code is single-use.
    expect((await redeem(code, verifier, redirectUri)).status).toBe(400);
  });

  it('shows the form again for a wrong password and issues no code', async () => {
    const { callback, page } = await authorize('wrong-password-123');
    expect(callback.searchParams.get('code')).toBeNull();
    expect(page).toContain('Wrong e-mail or password');
  });

  it('requires PKCE from the desktop client', async () => {
    const { callback } = await authorize(h.server.devIdentityProvider?.demo.password ?? '', {
      pkce: false,
    });
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('refuses a code redeemed with the wrong verifier', async () => {
    const idp = h.server.devIdentityProvider;
    const { callback, redirectUri } = await authorize(idp?.demo.password ?? '');
    const tokens = await redeem(
      callback.searchParams.get('code') ?? '',
      randomBytes(32).toString('base64url'),
      redirectUri,
    );
    expect(tokens.status).toBe(400);
    expect(tokens.body['error']).toBe('invalid_grant');
  });
});
