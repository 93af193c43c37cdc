import { describe, expect, it } from 'vitest';
import { parseServerUrl } from '../../../renderer/src/settings/server-url.ts';
import { webVaultCanUse } from '../../../renderer/src/settings/web-vault-server.ts';

describe('the servers a web vault can use', () => {
  const own = 'https://vault.example.com';

  it('is only the origin that served it, however the address is spelled', () => {
    expect(webVaultCanUse(parseServerUrl('https://vault.example.com/'), own)).toBe(true);
    expect(webVaultCanUse(parseServerUrl('HTTPS://Vault.Example.com:443'), own)).toBe(true);
  });

  it('is never another host, port or scheme', () => {
    for (const other of [
      'https://vault2.example.com',
      'https://vault.example.com:8443',
      'http://vault.example.com',
    ]) {
      expect(webVaultCanUse(parseServerUrl(other), own)).toBe(false);
    }
  });
});
