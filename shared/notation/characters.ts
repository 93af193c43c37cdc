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

/**
 * Ids are 22 base64url characters and never start with "-" (same rule as shared/protocol/ids.ts,
 * kept here so that notation depends on nothing but errors).
 */
export const RECORD_ID = /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/;

export const MAX_REFERENCE_LENGTH = 4096;
export const MAX_INDEX = 999_999;
export const PROPERTY = /^[a-z][a-z0-9-]{0,31}$/;
export const SCHEME_PREFIX = 'coffer://';
