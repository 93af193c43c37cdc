import { z } from 'zod';

/**
 * In a Unicode-mode pattern a surrogate range matches only surrogates that are not part of a
 * pair. Such a string cannot be encoded as UTF-8: encoding would silently replace it with U+FFFD,
 * so a stored password would no longer be the one the user typed.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormedText(value: string): boolean {
  return !UNPAIRED_SURROGATE.test(value);
}

/** Size caps, in UTF-16 code units, that bound one record to a sane size. */
export const LIMITS = {
  title: 512,
  short: 1_024,
  secret: 8_192,
  url: 4_096,
  notes: 262_144,
  pem: 262_144,
  customFields: 200,
  urls: 50,
} as const;

/**
 * A string kept exactly as given: never trimmed, never Unicode-normalised (gen-06: the NFC or
 * NFD form a user typed is the form stored), only checked for size and well-formedness.
 */
export function exactText(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(isWellFormedText, 'contains an unpaired UTF-16 surrogate, which cannot be stored');
}

/** Optional exact text: absent means empty. */
export function optionalText(max: number) {
  return exactText(max).default('');
}

/**
 * A host name, IPv4 address, or IPv6 address with or without brackets. The character set is
 * closed on purpose: a host flows into connection strings and URIs, where "/", "@", "?", "#",
 * ";" or whitespace would change what the string means (CWE-74).
 */
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?|\[?[0-9A-Fa-f:.]{2,45}\]?)$/;

export function isHost(value: string): boolean {
  if (!HOST.test(value)) return false;
  const bracketed = value.startsWith('[') || value.endsWith(']');
  if (bracketed) return value.startsWith('[') && value.endsWith(']') && value.includes(':');
  return true;
}

/** The longest host, in characters: a DNS name's limit (RFC 1035 §2.3.4). */
export const HOST_MAX = 255;

export const hostSchema = z
  .string()
  .max(HOST_MAX, `must be at most ${HOST_MAX} characters`)
  .refine(
    (value) => value === '' || isHost(value),
    'must be a host name or an IP address (letters, digits, ".", "-", "_"; IPv6 in brackets)',
  )
  .default('');

/** The highest TCP port number. */
export const PORT_MAX = 65_535;

export const portSchema = z
  .number()
  .int('must be a whole number')
  .min(1, `must be from 1 to ${PORT_MAX}`)
  .max(PORT_MAX, `must be from 1 to ${PORT_MAX}`);
