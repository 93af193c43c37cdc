/**
 * The Content-Security-Policy sent with every response of the app's own pages (EL-03). Deny by
 * default; scripts only from the app itself with no inline or eval allowance — except
 * 'wasm-unsafe-eval', which compiling the Argon2 WebAssembly needs. Network only to the app and
 * the configured vault server: main, not the page, talks to the identity provider.
 * Inline styles stay allowed because the component library injects them; they cannot run code.
 */
export interface CspOptions {
  /** Origins the page may fetch from besides itself, e.g. `https://vault.example.com`. */
  readonly connectOrigins: readonly string[];
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function buildContentSecurityPolicy(options: CspOptions): string {
  const connect = new Set<string>();
  for (const candidate of options.connectOrigins) {
    const origin = originOf(candidate);
    // An origin is a single token; anything else could smuggle in another directive.
    if (origin !== undefined && /^[a-z0-9.:/[\]-]+$/i.test(origin)) connect.add(origin);
  }
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'"],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...connect],
    ['worker-src', "'self'", 'blob:'],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['child-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['form-action', "'none'"],
    ['base-uri', "'none'"],
  ];
  return directives.map((parts) => parts.join(' ')).join('; ');
}
