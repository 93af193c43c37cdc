import type { FastifyRequest } from 'fastify';

/**
 * The caller's address, normalised so one host always compares equal to itself (DT-04):
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`) becomes plain IPv4 and IPv6 is lower-cased.
 * `request.ip` already honours X-Forwarded-For only from configured trusted proxies.
 */
export function clientAddress(request: FastifyRequest): string {
  return normaliseAddress(request.ip);
}

export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  return address.toLowerCase();
}
