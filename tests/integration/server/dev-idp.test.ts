import { createHash, randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/main/logger.ts';
import { startLoopbackListener } from '../../../electron/main/signin/loopback-listener.ts';
import { DESKTOP_APP_ORIGIN } from '../../../shared/protocol/desktop-app-origin.ts';
import { DATABASES } from './support/databases.ts';
import { Browser } from './support/browser.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/** Where the web build is published; the provider sends the web client back there. */
const WEB_ORIGIN = 'https://vault.example.com';

describe.each(DATABASES)('development identity provider on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, {
      devIdentityProvider: { enabled: true, port: 0 },
      publicUrl: WEB_ORIGIN,
    });
  });
  afterAll(() => h.close());

  /** A redirect URI of the desktop listener's form, on a port nothing listens on. */
  function perAttemptRedirect(host = '127.0.0.1'): string {
    const port = 40000 + Math.floor(Math.random() * 20000);
    return `http://${host}:${port}/callback/${randomBytes(16).toString('base64url')}`;
  }

  function authorizationRequest(
    redirectUri: string | undefined,
    state: string,
    nonce: string,
    clientId = 'coffer-desktop',
  ) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid email',
      ...(redirectUri === undefined ? {} : { redirect_uri: redirectUri }),
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return { params, verifier };
  }

  /** The desktop app's sign-in: PKCE S256, our nonce, a loopback redirect on a random port. */
  async function authorize(
    password: string,
    options: { pkce?: boolean; redirectUri?: string; state?: string; clientId?: string } = {},
  ) {
    const idp = h.server.devIdentityProvider;
    if (!idp) throw new Error('dev IdP not running');
    const nonce = await h.nonce();
    const state = options.state ?? randomBytes(16).toString('base64url');
    const redirectUri = options.redirectUri ?? perAttemptRedirect();
    const { params, verifier } = authorizationRequest(redirectUri, state, nonce, options.clientId);
    if (options.pkce === false) {
      params.delete('code_challenge');
      params.delete('code_challenge_method');
    }
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

  async function redeem(
    code: string,
    verifier: string,
    redirectUri: string,
    origin?: string,
    clientId = 'coffer-desktop',
  ) {
    const idp = h.server.devIdentityProvider;
    const response = await fetch(`${idp?.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin === undefined ? {} : { origin }),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
      }).toString(),
    });
    return {
      status: response.status,
      allowOrigin: response.headers.get('access-control-allow-origin'),
      body: (await response.json()) as Record<string, string>,
    };
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

  it("signs in through the desktop app's own loopback listener, redeeming from main", async () => {
    const idp = h.server.devIdentityProvider;
    const state = randomBytes(32).toString('base64url');
    const listener = await startLoopbackListener({
      expectedState: state,
      log: createLogger('test', () => undefined),
    });
    try {
      const { callback, verifier } = await authorize(idp?.demo.password ?? '', {
        redirectUri: listener.redirectUri,
        state,
      });
      // The browser lands on the listener, which takes the code.
      expect((await fetch(callback)).status).toBe(200);
      const { code } = await listener.result;
      // Electron's main process redeems the code, as a native client: no Origin header.
      const tokens = await redeem(code, verifier, listener.redirectUri);
      expect(tokens.status).toBe(200);
      const session = await h.api('POST', '/api/v1/auth/session', {
        body: { idToken: tokens.body['id_token'] },
      });
      expect(session.status).toBe(201);
    } finally {
      listener.abort();
    }
  });

  it('accepts the per-attempt form on [::1] too', async () => {
    const redirectUri = perAttemptRedirect('[::1]');
    const { callback } = await authorize(h.server.devIdentityProvider?.demo.password ?? '', {
      redirectUri,
    });
    expect(callback.href.startsWith(`${redirectUri}?`)).toBe(true);
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it.each([
    ['the bare /callback', (uri: string) => uri.replace(/\/callback\/.*$/, '/callback')],
    ['a further path', (uri: string) => `${uri}/more`],
    ['a query', (uri: string) => `${uri}?next=https://evil.example.com`],
    ['a short segment', (uri: string) => uri.slice(0, -1)],
    ['localhost', (uri: string) => uri.replace('127.0.0.1', 'localhost')],
    ['another host', (uri: string) => uri.replace('127.0.0.1', 'evil.example.com')],
    ['https', (uri: string) => uri.replace('http:', 'https:')],
    ["the web client's redirect", () => `${WEB_ORIGIN}/signin/callback`],
    ['no redirect_uri at all', () => undefined],
  ])('refuses %s as the desktop redirect, without redirecting', async (_name, variant) => {
    const idp = h.server.devIdentityProvider;
    const redirectUri = variant(perAttemptRedirect());
    const { params } = authorizationRequest(redirectUri, 'state-123', await h.nonce());
    const response = await new Browser().request(`${idp?.issuer}/auth?${params}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri');
  });

  it.each([
    ['the desktop renderer', DESKTOP_APP_ORIGIN],
    ['a foreign page', 'https://evil.example.com'],
  ])("lets no page, not even %s, redeem the desktop client's code", async (_name, origin) => {
    const idp = h.server.devIdentityProvider;
    const { callback, verifier, redirectUri } = await authorize(idp?.demo.password ?? '');
    const code = callback.searchParams.get('code') ?? '';
    const refused = await redeem(code, verifier, redirectUri, origin);
    expect(refused.status).toBe(400);
    expect(refused.allowOrigin).toBeNull();
  });

  it("lets only the web build's origin redeem the web client's code", async () => {
    const password = h.server.devIdentityProvider?.demo.password ?? '';
    const web = { redirectUri: `${WEB_ORIGIN}/signin/callback`, clientId: 'coffer-web' };
    const redeemFrom = async (origin: string) => {
      const { callback, verifier } = await authorize(password, web);
      const code = callback.searchParams.get('code') ?? '';
      return redeem(code, verifier, web.redirectUri, origin, web.clientId);
    };
    const desktop = await redeemFrom(DESKTOP_APP_ORIGIN);
    expect(desktop.status).toBe(400);
    expect(desktop.allowOrigin).toBeNull();
    const fromWeb = await redeemFrom(WEB_ORIGIN);
    expect(fromWeb.status).toBe(200);
    expect(fromWeb.allowOrigin).toBe(WEB_ORIGIN);
  });

  it('shows the form again for a wrong password and issues no code', async () => {
    const { callback, page } = await authorize('wrong-password-123');
    expect(callback.searchParams.get('code')).toBeNull();
    expect(page).toContain('Wrong e-mail or password');
  });

  it('starts the cursor in the password field, before and after a wrong password', async () => {
    const idp = h.server.devIdentityProvider;
    if (!idp) throw new Error('dev IdP not running');
    const { params } = authorizationRequest(perAttemptRedirect(), 'state-1', await h.nonce());
    const browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${idp.issuer}/auth?${params}`);
      const focused = (label: string) =>
        page.getByLabel(label).evaluate((field) => field === field.ownerDocument.activeElement);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'E-mail' }).inputValue()).toBe(idp.demo.email);
      expect(await focused('Password')).toBe(true);
      // Typed without clicking: the keys land where the cursor starts.
      await page.keyboard.type('wrong-password-123');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe('Wrong e-mail or password.');
      expect(await focused('Password')).toBe(true);
      expect(await page.getByLabel('Password').inputValue()).toBe('');
    } finally {
      await browser.close();
    }
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
