import { describe, expect, it } from 'vitest';
import { DESKTOP_CLIENT_ID } from '../../../server/devidp/desktop-client.ts';
import { providersResponse } from '../../../shared/client/wire.ts';
import { WEB_CLIENT_ID } from '../../../server/devidp/provider.ts';
import {
  DEVELOPMENT_CLIENT_IDS,
  providerLabels,
} from '../../../renderer/src/screens/provider-labels.ts';

const DEV = { issuer: 'http://127.0.0.1:8788', clientIds: ['coffer-desktop', 'coffer-web'] };

describe('sign-in provider labels', () => {
  it('keeps the renderer’s copy of the development client ids equal to the server’s', () => {
    expect([...DEVELOPMENT_CLIENT_IDS].sort()).toEqual([DESKTOP_CLIENT_ID, WEB_CLIENT_ID].sort());
  });

  it('calls only the built-in development provider "the development provider"', () => {
    const local = { issuer: 'http://127.0.0.1:9000', clientIds: ['vault'] };
    const labels = providerLabels([DEV, local]);
    expect(labels.get(DEV.issuer)).toBe('the development provider');
    expect(labels.get(local.issuer)).toBe('127.0.0.1:9000');
  });

  it('labels two local providers apart by host and port', () => {
    const a = { issuer: 'http://127.0.0.1:9000', clientIds: ['vault'] };
    const b = { issuer: 'http://localhost:9100', clientIds: ['vault'] };
    const labels = providerLabels([a, b]);
    expect(labels.get(a.issuer)).toBe('127.0.0.1:9000');
    expect(labels.get(b.issuer)).toBe('localhost:9100');
  });

  it('names a provider by its host, with the path that tells realms apart', () => {
    const okta = { issuer: 'https://okta.example.com', clientIds: ['vault'] };
    const realmA = { issuer: 'https://sso.example.com/realms/a', clientIds: ['vault'] };
    const realmB = { issuer: 'https://sso.example.com/realms/b/', clientIds: ['vault'] };
    const labels = providerLabels([okta, realmA, realmB]);
    expect([...labels.values()]).toEqual([
      'okta.example.com',
      'sso.example.com/realms/a',
      'sso.example.com/realms/b',
    ]);
  });

  it('prefers a configured name, and adds the issuer to names that would read alike', () => {
    const a = { issuer: 'https://a.example.com', clientIds: ['vault'], name: 'Company SSO' };
    const b = { issuer: 'https://b.example.com', clientIds: ['vault'], name: 'Company SSO' };
    const c = { issuer: 'https://c.example.com', clientIds: ['vault'], name: 'Contractors' };
    const labels = providerLabels([a, b, c]);
    expect(labels.get(a.issuer)).toBe('Company SSO (https://a.example.com)');
    expect(labels.get(b.issuer)).toBe('Company SSO (https://b.example.com)');
    expect(labels.get(c.issuer)).toBe('Contractors');
  });

  it('shows the name the server sends, as the client accepts it, before any fallback', () => {
    const { providers } = providersResponse.parse({
      providers: [
        { name: 'Development provider', ...DEV },
        { name: 'Entra ID', issuer: 'https://login.example.com/tenant', clientIds: ['vault'] },
        { issuer: 'https://okta.example.com', clientIds: ['vault'] },
      ],
    });
    const labels = providerLabels(providers);
    expect(labels.get(DEV.issuer)).toBe('Development provider');
    expect(labels.get('https://login.example.com/tenant')).toBe('Entra ID');
    expect(labels.get('https://okta.example.com')).toBe('okta.example.com');
  });

  it('refuses a provider list whose name is longer than the server allows', () => {
    const name = 'n'.repeat(65);
    const answer = { providers: [{ name, issuer: 'https://okta.example.com', clientIds: ['v'] }] };
    expect(providersResponse.safeParse(answer).success).toBe(false);
  });

  it('does not take a provider with other clients on 127.0.0.1 for the development one', () => {
    const lookalike = { issuer: 'http://127.0.0.1:8788', clientIds: ['coffer-web'] };
    expect(providerLabels([lookalike]).get(lookalike.issuer)).toBe('127.0.0.1:8788');
  });
});
