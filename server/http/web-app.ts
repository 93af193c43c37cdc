import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Serves the web build of the app (`out/renderer`, made by `npm run build`) at the server's
 * root (DESIGN.md "Components"). Its pages get their own Content-Security-Policy in place of the
 * API's `default-src 'none'`: scripts only from this origin with no inline script or eval —
 * `wasm-unsafe-eval` alone, for the Argon2id WebAssembly (EL-03) — network only to this server
 * and the configured identity providers (for the PKCE code exchange), no framing, no forms.
 * The same header goes on the scripts too, because a worker takes its policy from its own script.
 */
export interface WebAppOptions {
  /** Issuers whose token endpoints the page calls; their origins join connect-src. */
  readonly identityProviderIssuers: readonly string[];
  /** Where the build lives; found next to the source or the compiled server when omitted. */
  readonly root?: string;
}

/** Where `out/renderer/index.html` is, searching upward from this module (source or dist). */
export function findWebBuild(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = resolve(dir, '..');
  }
  return undefined;
}

export function webAppPolicy(issuers: readonly string[]): string {
  const connect = new Set<string>();
  for (const issuer of issuers) {
    try {
      const origin = new URL(issuer).origin;
      // One token per origin: nothing from configuration can add a directive.
      if (/^https?:\/\/[a-z0-9.:[\]-]+$/i.test(origin)) connect.add(origin);
    } catch {
      // Issuers are validated URLs (config schema); an unparsable one simply gets no access.
    }
  }
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    // The component library sets inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ['connect-src', "'self'", ...connect].join(' '),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Registers the web app, if a build exists; answers whether it did. Unknown paths still fall
 * through to the API's problem+json 404; `/signin/callback` (the web client's redirect URI)
 * serves the app, which finishes the sign-in in place.
 */
export async function registerWebApp(
  app: FastifyInstance,
  options: WebAppOptions,
): Promise<boolean> {
  const root = options.root ?? findWebBuild();
  if (root === undefined) {
    app.log.info(
      { subsystem: 'web-app' },
      'no web build found (run npm run build); not serving it',
    );
    return false;
  }
  const policy = webAppPolicy(options.identityProviderIssuers);
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', policy);
      reply.header('cross-origin-opener-policy', 'same-origin');
    });
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      index: 'index.html',
      dotfiles: 'ignore',
      redirect: false,
      etag: true,
      lastModified: false,
    });
    scope.get('/signin/callback', (_request, reply) => reply.sendFile('index.html'));
    // The build refers to its assets and icon relatively (the desktop app loads it from its own
    // protocol), so the callback page, one level down, asks for them under /signin/.
    await scope.register(fastifyStatic, {
      root,
      prefix: '/signin/',
      index: false,
      dotfiles: 'ignore',
      redirect: false,
      decorateReply: false,
      allowedPath: (path) => path.startsWith('/assets/') || path === '/favicon.svg',
    });
  });
  return true;
}
