import { describe, expect, it } from 'vitest';
import { canonicalCidr, normaliseServerOrigin } from '../../../../shared/protocol/index.ts';
import { thrownCode } from './helpers/errors.ts';

describe('server origin', () => {
  it.each([
    ['https://vault.example.com', 'https://vault.example.com'],
    ['https://vault.example.com/', 'https://vault.example.com'],
    ['HTTPS://Vault.Example.COM:443', 'https://vault.example.com'],
    ['https://vault.example.com:8443', 'https://vault.example.com:8443'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://127.1.2.3', 'http://127.1.2.3'],
    ['http://[::1]:8080/', 'http://[::1]:8080'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(normaliseServerOrigin(input)).toBe(canonical);
  });

  it.each([
    ['plain http to a remote host', 'http://vault.example.com'],
    ['http to a host merely named like loopback', 'http://127.0.0.1.example.com'],
    ['another scheme', 'ftp://vault.example.com'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a path', 'https://vault.example.com/api'],
    ['a dot segment the URL parser would drop', 'https://vault.example.com/.'],
    ['a query', 'https://vault.example.com?x=1'],
    ['an empty query', 'https://vault.example.com?'],
    ['a fragment', 'https://vault.example.com#top'],
    ['credentials', 'https://alice:pw@vault.example.com'],
    ['a user name only', 'https://alice@vault.example.com'],
    ['a backslash the URL parser turns into a slash', 'https://vault.example.com\\@evil.example'],
    ['an embedded newline the URL parser would drop', 'https://vault.exa\nmple.com'],
    ['a leading space', ' https://vault.example.com'],
    ['port 0', 'https://vault.example.com:0'],
    ['no host', 'https://'],
    ['empty input', ''],
    ['an over-long origin', `https://${'a'.repeat(300)}.example`],
  ])('refuses %s', (_what, input) => {
    expect(thrownCode(() => normaliseServerOrigin(input))).toBe('invalid_input');
  });
});

describe('CIDR blocks', () => {
  it.each([
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:db8:0:0::1/128', '2001:db8::1/128'],
    ['::ffff:192.0.2.1/128', '::ffff:c000:201/128'],
  ])('canonicalises %s to %s', (input, canonical) => {
    expect(canonicalCidr(input)).toBe(canonical);
  });

  it.each([
    '192.0.2.0',
    '192.0.2.0/33',
    '010.0.0.1/8',
    '256.0.0.0/8',
    '192.0.2/24',
    'fe80::1%eth0/64',
    '2001:db8::/129',
    'example.com/24',
    '',
  ])('refuses %s', (input) => {
    expect(canonicalCidr(input)).toBeUndefined();
  });
});
