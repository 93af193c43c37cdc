import { ID_PATTERN } from '../protocol/ids.ts';

/**
 * Characters a name or path segment may hold literally (coffer-reference.abnf, "safe-char").
 * Everything else is percent-encoded as UTF-8: the delimiters "/", "[", "]", the escape "%",
 * space and all other white space, "?" and "#" (URI query and fragment), the characters RFC 3986
 * excludes from URIs ('"', "<", ">", "\", "^", "`", "{", "|", "}") so that a reference survives
 * templates and shells, and invisible or format characters (controls, bidi overrides,
 * zero-width joiners) so that what a reference shows is what it names.
 */
const ASCII_SAFE = /^[!$&'()*+,\-.0-9:;=@A-Z_a-z~]$/;
const NON_ASCII_UNSAFE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Cs}]$/u;

/** True when the code point `char` may appear unescaped. */
export function isSafeChar(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return ASCII_SAFE.test(char);
  return !NON_ASCII_UNSAFE.test(char);
}

/** A record id in a reference is a Coffer id: the one pattern in shared/protocol/ids.ts. */
export const RECORD_ID = ID_PATTERN;

export const MAX_REFERENCE_LENGTH = 4096;
export const MAX_INDEX = 999_999;
export const PROPERTY = /^[a-z][a-z0-9-]{0,31}$/;
export const SCHEME_PREFIX = 'coffer://';
