import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { clientAddress } from './client-address.ts';
import type { RateLimiter } from './rate-limit.ts';

const MINUTE_MS = 60_000;

/**
 * Per-address budgets counted before any authentication runs, so an anonymous caller cannot make
 * the server work without limit. Every API request spends from the general budget; the routes an
 * anonymous caller can drive for free (a login nonce is a database row, a sign-in is a JWKS
 * fetch and a signature check) spend from a tighter one as well. Signed requests that do not
 * verify — an unknown device's among them — are counted where that is found
 * (device/authenticate.ts), and signed device reads count the general budget in their batch's
 * transaction (device/admission.ts). The address is the one Fastify derived,
 * X-Forwarded-For honoured only from the configured proxies (DT-04), so a client cannot pick a
 * fresh address per request.
 */
export function installAddressLimits(
  app: FastifyInstance,
  limiter: RateLimiter,
  limits: Config['rateLimits'],
  now: () => number,
  /** Routes that count the general budget themselves, in the transaction of their own writes. */
  countsItself: (request: FastifyRequest) => boolean = () => false,
): void {
  const tighter = new Map<string, { bucket: string; limit: number }>([
    ['POST /api/v1/auth/nonce', { bucket: 'nonce-ip', limit: limits.noncePerAddressPerMinute }],
    ['POST /api/v1/auth/session', { bucket: 'signin-ip', limit: limits.signInPerAddressPerMinute }],
  ]);
  const spend = async (request: FastifyRequest) => {
    const ip = clientAddress(request);
    const at = now();
    await limiter.hit(`ip:${ip}`, limits.apiPerAddressPerMinute, MINUTE_MS, at);
    const route = tighter.get(`${request.method} ${pathOnly(request.url)}`);
    if (route) await limiter.hit(`${route.bucket}:${ip}`, route.limit, MINUTE_MS, at);
  };
  // A callback hook: the requests it lets through untouched cost no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/api/') || countsItself(request)) return done();
    spend(request).then(() => done(), done);
  });
}

function pathOnly(url: string): string {
  const cut = url.indexOf('?');
  return cut === -1 ? url : url.slice(0, cut);
}
