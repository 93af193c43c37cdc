import { describe, expect, it } from 'vitest';
import { normaliseAddress } from '../../../server/http/client-address.ts';

describe('client address normalisation (DT-04)', () => {
  it('turns IPv4-mapped IPv6 into plain IPv4', () => {
    expect(normaliseAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(normaliseAddress('::FFFF:192.0.2.7')).toBe('192.0.2.7');
  });

  it('lower-cases IPv6 and leaves IPv4 alone', () => {
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseAddress('198.51.100.1')).toBe('198.51.100.1');
  });
});
