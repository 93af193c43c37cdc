import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_APP_ORIGIN } from '../../../shared/protocol/desktop-app-origin.ts';
import { DATABASES } from './support/databases.ts';
import { send } from './support/devices.ts';
import { startHarness, type ApiResponse, type Harness } from './support/harness.ts';

const WEB_ORIGIN = 'https://vault.example.com';

/** What Chromium sends before a cross-origin request with a bearer token and a JSON body. */
function preflight(h: Harness, origin: string, method = 'POST'): Promise<ApiResponse> {
  return send(h.server.url, 'OPTIONS', '/api/v1/auth/session', {
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('CORS for the desktop app and configured web origins', () => {
  let h: Harness;
  beforeAll(async () => {
    const sqlite = DATABASES.find((target) => target.name === 'sqlite');
    if (!sqlite) throw new Error('no SQLite target');
    h = await startHarness(sqlite, { allowedOrigins: [WEB_ORIGIN] });
  });
  afterAll(() => h.close());

  it.each([DESKTOP_APP_ORIGIN, WEB_ORIGIN])('answers the preflight from %s', async (origin) => {
    const response = await preflight(h, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('lets the desktop app read real answers, signed in or not', async () => {
    const origin = { origin: DESKTOP_APP_ORIGIN };
    const providers = await h.api('GET', '/api/v1/auth/providers', { headers: origin });
    expect(providers.status).toBe(200);
    expect(providers.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN);

    const { token } = await h.signIn('cors-desktop-user');
    const session = await h.api('GET', '/api/v1/auth/session', { token, headers: origin });
    expect(session.status).toBe(200);
    expect(session.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN);
    // Refusals are readable too, so the app can show the reason.
    const refused = await h.api('GET', '/api/v1/auth/session', { headers: origin });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN);
  });

  it.each([
    'https://evil.example.com',
    'coffer-app://evil',
    'coffer-app://bundle.evil.example.com',
    'http://bundle',
    'null',
    `${WEB_ORIGIN}.evil.example.com`,
  ])('grants nothing to %s', async (origin) => {
    const answer = await preflight(h, origin);
    expect(answer.status).not.toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await h.api('GET', '/api/v1/auth/providers', { headers: { origin } });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });
});
