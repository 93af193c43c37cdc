import { CofferError } from '../errors.ts';

/** Longest server origin accepted (a DNS name is at most 253 characters, plus scheme and port). */
export const MAX_ORIGIN_LENGTH = 270;

// scheme "://" authority, optionally one trailing slash; no path, query, fragment, credentials
// or backslash. Checked on the raw text because the WHATWG URL parser silently repairs input
// (drops tabs and newlines, turns "\" into "/", resolves "/." segments).
const ORIGIN_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@\\]+\/?$/;
// Whitespace, C0/C1 controls and DEL: never part of an origin a person means to type.
const FORBIDDEN_CHARACTERS = /[\s\p{Cc}]/u;

function refuse(reason: string): never {
  throw new CofferError('invalid_input', `Server origin ${reason}.`);
}

function isLoopbackHost(hostname: string): boolean {
  // The URL parser has already canonicalised IPv4 (e.g. "0x7f.1" -> "127.0.0.1") and IPv6.
  // "localhost" is loopback by the Secure Contexts spec, which browsers enforce.
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Validates a server origin and returns its canonical form (lower-case scheme and host, IDN in
 * punycode, default port dropped, no trailing slash). https is required except for loopback
 * addresses, where http is allowed for the local development server.
 */
export function normaliseServerOrigin(input: string): string {
  if (typeof input !== 'string' || input.length === 0) refuse('is empty');
  if (input.length > MAX_ORIGIN_LENGTH) refuse(`is longer than ${MAX_ORIGIN_LENGTH} characters`);
  if (FORBIDDEN_CHARACTERS.test(input)) refuse('contains whitespace or control characters');
  if (!ORIGIN_SHAPE.test(input)) {
    refuse('must be scheme://host[:port] with no path, query, fragment or credentials');
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new CofferError('invalid_input', 'Server origin is not a valid URL.', { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('must use https');
  if (url.username !== '' || url.password !== '') refuse('must not carry credentials');
  if (url.port === '0') refuse('has port 0');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    refuse('must use https (plain http is allowed only for 127.0.0.1, [::1] and localhost)');
  }
  return url.origin;
}

/** True when `text` is a valid server origin already in canonical form. */
export function isCanonicalServerOrigin(text: string): boolean {
  try {
    return normaliseServerOrigin(text) === text;
  } catch {
    return false;
  }
}
