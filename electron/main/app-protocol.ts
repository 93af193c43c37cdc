import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/**
 * Serves the packaged renderer from `coffer-app://bundle/…` with the CSP header on every
 * response (EL-03). Registered as a standard, secure scheme so the page gets a real origin for
 * 'self', module scripts and fetch of the Argon2 WebAssembly; no CORS bypass, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** Resolves a request URL to a file inside `root`, or undefined (other host, traversal, bad URL). */
export function resolveBundlePath(root: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  // No bundle file has a NUL or a backslash in its name; on Windows a backslash is a separator
  // that the URL parser did not see, so it could smuggle a `..` past it.
  if (relative.includes('\0') || relative.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(base, `.${relative === '/' ? '/index.html' : relative}`);
  return target.startsWith(base + sep) ? target : undefined;
}

/** The request handler for `protocol.handle`; exported apart so tests can call it directly. */
export function createBundleHandler(root: string, csp: () => string) {
  return async (request: Request): Promise<Response> => {
    const headers = securityHeaders(csp());
    const path = request.method === 'GET' ? resolveBundlePath(root, request.url) : undefined;
    if (path === undefined) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(path);
      const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  };
}

export function serveAppBundle(
  protocol: Pick<Protocol, 'handle'>,
  root: string,
  csp: () => string,
): void {
  protocol.handle(APP_SCHEME, createBundleHandler(root, csp));
}
