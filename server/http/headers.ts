import type { FastifyInstance } from 'fastify';
import { DESKTOP_APP_ORIGIN } from '../../shared/protocol/desktop-app-origin.ts';

/**
 * Headers every API answer carries: nothing is cached (answers hold ciphertext and session data),
 * nothing is sniffed or framed. CORS is granted only to the configured web origins and to the
 * desktop app's renderer (shared/protocol/desktop-app-origin.ts), an origin no web page can carry;
 * the API authenticates with a bearer token, never a cookie, so other origins gain nothing anyway.
 */
export function installHeaders(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const origins = new Set([DESKTOP_APP_ORIGIN, ...allowedOrigins]);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  });
}
