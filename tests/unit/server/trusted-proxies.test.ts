import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors.ts';
import { loadConfig } from '../../../server/config/load.ts';
import { trustedProxyProblem } from '../../../server/config/trusted-proxies.ts';
import { startServer } from '../../../server/start.ts';

/** Blocks a real deployment lists: private ranges, single proxies, providers' published blocks. */
const ACCEPTED = [
  '127.0.0.1',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '203.0.113.7/32',
  '104.16.0.0/13',
  '::1',
  'fd00::/8',
  'fc00::/7',
  'fe80::/10',
  '2606:4700::/32',
  '2a06:98c0::/29',
  '::ffff:10.0.0.0/104',
  '::ffff:192.0.2.1',
  '0.0.0.0',
];

function configRefusal(value: string): string {
  try {
    loadConfig({ COFFER_TRUSTED_PROXIES: value });
  } catch (error) {
    if (isCofferError(error, 'config_invalid')) return error.message;
    throw error;
  }
  throw new Error(`${value} was accepted`);
}

describe('trusted proxies (COFFER_TRUSTED_PROXIES)', () => {
  it('accepts the addresses and blocks proxies have, and Fastify compiles every one', () => {
    for (const entry of ACCEPTED) expect(trustedProxyProblem(entry), entry).toBeUndefined();
    expect(loadConfig({ COFFER_TRUSTED_PROXIES: ACCEPTED.join(',') }).trustedProxies).toEqual(
      ACCEPTED,
    );
    // What passes here reaches @fastify/proxy-addr, which throws on what it cannot compile.
    for (const entry of ACCEPTED)
      expect(() => Fastify({ trustProxy: [entry] }), entry).not.toThrow();
  });

  it.each(['0.0.0.0/0', '::/0', '::ffff:0:0/96', '::/64', '0:0:0:0:0:0:0:0/0'])(
    'refuses %s, which would let every client choose its own address',
    (entry) => {
      const message = configRefusal(entry);
      expect(message).toContain('trustedProxies[0] (from COFFER_TRUSTED_PROXIES)');
      expect(message).toMatch(/would believe X-Forwarded-For from every (IPv4 )?address/);
      expect(message).toContain('IP rules');
    },
  );

  it.each([
    ['2.0.0.0/7', '/8 at widest'],
    ['128.0.0.0/1', '/8 at widest'],
    ['::ffff:0.0.0.0/100', '/8 at widest'],
    ['2000::/3', '/16 at widest'],
    ['2000::/15', '/16 at widest'],
  ])('refuses %s as wider than any proxy fleet', (entry, limit) => {
    expect(configRefusal(entry)).toContain(limit);
  });

  it.each([
    ['10.0.0.1/8', 'write the block as 10.0.0.0/8'],
    ['192.168.1.77/24', 'write the block as 192.168.1.0/24'],
    ['fd12:3456::1/32', 'write the block as fd12:3456::/32'],
    ['::ffff:10.1.2.3/104', 'write the block as ::ffff:a00:0/104'],
  ])('refuses %s, whose address is not its block', (entry, fix) => {
    expect(configRefusal(entry)).toContain(fix);
  });

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/255.0.0.0',
    '010.0.0.1',
    '127.1',
    '10.0.0.256',
    'fe80::1%eth0',
    'loopback',
    'proxy.example.com',
  ])('refuses the malformed %j, naming the setting', (entry) => {
    const message = configRefusal(`${entry},10.0.0.1`);
    expect(message).toContain('trustedProxies[0] (from COFFER_TRUSTED_PROXIES)');
    expect(message).toContain('must be an IP address or a CIDR block');
  });

  it('stops start-up with config_invalid rather than a TypeError from proxy-addr', async () => {
    const refusal = await startServer({
      listen: { host: '127.0.0.1', port: 0 },
      database: ':memory:',
      trustedProxies: ['0.0.0.0/0', '::/0'],
      logLevel: 'silent',
    }).catch((error: unknown) => error);
    expect(isCofferError(refusal, 'config_invalid')).toBe(true);
    expect((refusal as Error).message).toContain('trustedProxies[1]');
  });
});
