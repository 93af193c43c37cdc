import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors.ts';
import { loadConfig, parseConfig } from '../../../server/config/load.ts';

const provider = {
  issuer: 'https://login.example.com',
  clientIds: ['coffer-desktop'],
  allowedEmailDomains: ['example.com'],
};

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isCofferError(error, 'config_invalid')) return error.message;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('server configuration', () => {
  it('defaults to loopback, a local SQLite file and no providers', () => {
    const config = parseConfig({});
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.database).toBe('data/coffer.sqlite');
    expect(config.identityProviders).toEqual([]);
    expect(config.devIdentityProvider.enabled).toBe(false);
  });

  it('reads every documented environment variable', () => {
    const config = loadConfig({
      COFFER_LISTEN: '[::1]:9000',
      COFFER_PUBLIC_URL: 'https://vault.example.com',
      COFFER_DATABASE_URL: 'postgres://coffer@db.example.com/coffer',
      COFFER_IDENTITY_PROVIDERS: JSON.stringify([provider]),
      COFFER_TRUSTED_PROXIES: '10.0.0.1, 192.0.2.0/24',
      COFFER_ALLOWED_ORIGINS: 'https://vault.example.com',
      COFFER_SESSION_TTL_SECONDS: '3600',
      COFFER_DEV_IDP: '8790',
      COFFER_LOG_LEVEL: 'warn',
    });
    expect(config.listen).toEqual({ host: '::1', port: 9000 });
    expect(config.database).toBe('postgres://coffer@db.example.com/coffer');
    expect(config.identityProviders[0]).toMatchObject({ ...provider, groupsClaim: 'groups' });
    expect(config.trustedProxies).toEqual(['10.0.0.1', '192.0.2.0/24']);
    expect(config.sessionTtlSeconds).toBe(3600);
    expect(config.devIdentityProvider).toMatchObject({ enabled: true, port: 8790 });
  });

  it('reads a JSON file named by COFFER_SERVER_CONFIG, with the environment on top', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'coffer-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ identityProviders: [provider], logLevel: 'error' }));
    const config = loadConfig({ COFFER_SERVER_CONFIG: file, COFFER_LOG_LEVEL: 'debug' });
    expect(config.identityProviders).toHaveLength(1);
    expect(config.logLevel).toBe('debug');
  });

  it.each([
    [{ COFFER_LISTEN: 'everywhere' }, 'COFFER_LISTEN'],
    [{ COFFER_LISTEN: '0.0.0.0:99999' }, 'listen.port (from COFFER_LISTEN)'],
    [{ COFFER_PUBLIC_URL: 'not a url' }, 'publicUrl (from COFFER_PUBLIC_URL)'],
    [{ COFFER_IDENTITY_PROVIDERS: '[{' }, 'COFFER_IDENTITY_PROVIDERS: expected JSON'],
    [
      {
        COFFER_IDENTITY_PROVIDERS: JSON.stringify([
          { ...provider, issuer: 'http://login.example.com' },
        ]),
      },
      'identityProviders[0].issuer (from COFFER_IDENTITY_PROVIDERS): must be an https URL',
    ],
    [
      { COFFER_IDENTITY_PROVIDERS: JSON.stringify([{ ...provider, allowedEmailDomains: [] }]) },
      'names nobody who may sign in',
    ],
    [
      { COFFER_IDENTITY_PROVIDERS: JSON.stringify([{ ...provider, clientIds: [] }]) },
      'identityProviders[0].clientIds',
    ],
    [{ COFFER_TRUSTED_PROXIES: '10.0.0.0/33' }, 'trustedProxies[0] (from COFFER_TRUSTED_PROXIES)'],
    [{ COFFER_ALLOWED_ORIGINS: 'https://vault.example.com/app' }, 'allowedOrigins[0]'],
    [
      { COFFER_ALLOWED_ORIGINS: 'https://vault.example.com,coffer-app://bundle' },
      'allowedOrigins[1] (from COFFER_ALLOWED_ORIGINS): coffer-app://bundle (the desktop app) is ' +
        'always allowed',
    ],
    [
      {
        COFFER_IDENTITY_PROVIDERS: JSON.stringify([
          { ...provider, desktopRedirect: '/callback/*' },
        ]),
      },
      'identityProviders[0].desktopRedirect',
    ],
    [
      { COFFER_IDENTITY_PROVIDERS: JSON.stringify([{ ...provider, pkce: 'plain' }]) },
      'identityProviders[0].pkce',
    ],
    [{ COFFER_SESSION_TTL_SECONDS: '5' }, 'sessionTtlSeconds (from COFFER_SESSION_TTL_SECONDS)'],
    [{ COFFER_DEV_IDP: 'maybe' }, 'COFFER_DEV_IDP'],
    [{ COFFER_LOG_LEVEL: 'loud' }, 'logLevel (from COFFER_LOG_LEVEL)'],
    [
      { COFFER_SERVER_CONFIG: '/nonexistent/coffer.json' },
      'COFFER_SERVER_CONFIG: the file cannot be read',
    ],
  ])('refuses %j naming the setting', (env, expected) => {
    expect(refusal(() => loadConfig(env))).toContain(expected);
  });

  it('shapes the desktop redirect per attempt and requires advertised PKCE unless told', () => {
    const [byDefault] = parseConfig({ identityProviders: [provider] }).identityProviders;
    expect(byDefault).toMatchObject({ desktopRedirect: 'per-attempt-path', pkce: 'advertised' });
    const entra = { ...provider, desktopRedirect: 'fixed-path', pkce: 'S256' };
    const [set] = parseConfig({ identityProviders: [entra] }).identityProviders;
    expect(set).toMatchObject({ desktopRedirect: 'fixed-path', pkce: 'S256' });
  });

  it('takes a provider display name, trimmed, and leaves it out when not set', () => {
    const named = { ...provider, name: '  Entra ID  ' };
    const [withName, without] = parseConfig({
      identityProviders: [named, provider],
    }).identityProviders;
    expect(withName?.name).toBe('Entra ID');
    expect(without?.name).toBeUndefined();
    const longest = 'n'.repeat(64);
    const [atLimit] = parseConfig({
      identityProviders: [{ ...provider, name: longest }],
    }).identityProviders;
    expect(atLimit?.name).toBe(longest);
  });

  it.each([
    ['empty', '', 'at least 1 character'],
    ['only spaces', '   ', 'at least 1 character'],
    ['too long', 'n'.repeat(65), 'at most 64 characters'],
    ['not a string', 42, 'must be a string, not a number'],
    ['a line break', 'Okta\nEntra ID', 'must be plain text'],
    ['a bidi override', 'Okta\u202e', 'must be plain text'],
  ])('refuses a provider name that is %s, naming the setting', (_case, name, expected) => {
    const message = refusal(() =>
      loadConfig({
        COFFER_IDENTITY_PROVIDERS: JSON.stringify([{ ...provider, name }]),
      }),
    );
    expect(message).toContain('identityProviders[0].name (from COFFER_IDENTITY_PROVIDERS)');
    expect(message).toContain(expected);
  });

  it('refuses unknown settings in a file, so a typo is not silently ignored', () => {
    expect(refusal(() => parseConfig({ databse: 'x' }))).toContain('databse');
  });
});
