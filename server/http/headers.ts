import type { FastifyInstance } from 'fastify';
import { DESKTOP_APP_ORIGIN } from '../../shared/protocol/desktop-app-origin.ts';

/**
 * Headers every API answer carries: nothing is cached (answers hold ciphertext and session data),
 * nothing is sniffed or framed. CORS is granted only to the configured web origins and to the
 * desktop app's renderer (shared/protocol/desktop-app-origin.ts), an origin no web page can carry;
 * the API authenticates with a bearer token, never a cookie, so other origins gain nothing anyway.
 */
export const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export function installHeaders(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const origins = new Set([DESKTOP_APP_ORIGIN, ...allowedOrigins]);
  // Callback hooks: they do no I/O, and an async hook costs every request a promise and a hop.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins.has(origin)) return done();
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    if (request.method !== 'OPTIONS') return done();
    // Answered here; a hook that sends does not call done (Fastify "Respond to a request from
    // a hook").
    reply
      .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });
}
