import { describe, expect, it } from 'vitest';
import { addressAllowed } from '../../../server/device/ip-rule.ts';

describe('device IP rules', () => {
  it('first-use admits anyone before binding and only the bound address after', () => {
    const rule = { type: 'first-use' as const };
    expect(addressAllowed(rule, '198.51.100.7', null)).toBe(true);
    expect(addressAllowed(rule, '198.51.100.7', '198.51.100.7')).toBe(true);
    expect(addressAllowed(rule, '198.51.100.8', '198.51.100.7')).toBe(false);
  });

  it('a CIDR list admits its IPv4 and IPv6 blocks and nothing else', () => {
    const rule = { type: 'cidr' as const, allow: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.5/32'] };
    expect(addressAllowed(rule, '10.255.0.1', null)).toBe(true);
    expect(addressAllowed(rule, '11.0.0.1', null)).toBe(false);
    expect(addressAllowed(rule, '192.0.2.5', '10.0.0.1')).toBe(true);
    expect(addressAllowed(rule, '192.0.2.6', null)).toBe(false);
    expect(addressAllowed(rule, '2001:db8:1::1', null)).toBe(true);
    expect(addressAllowed(rule, '2001:db9::1', null)).toBe(false);
    expect(addressAllowed(rule, 'not an address', null)).toBe(false);
  });

  it('none admits every address', () => {
    expect(addressAllowed({ type: 'none' }, '203.0.113.1', '198.51.100.1')).toBe(true);
  });
});
