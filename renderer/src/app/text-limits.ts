import { LIMITS } from '../../../shared/records/schema/index.ts';

/**
 * The most each text box of the app holds, in UTF-16 code units: what `maxLength` and
 * `String.length` count. Every box has one, so a pasted or scripted megabyte never reaches a
 * parser, the search index, a strength meter or a layout pass (7 MiB set into Notes once took
 * the tab past 13 GB).
 *
 * Each is the longest value the field's own check accepts, so no valid value is ever cut. Where
 * that check counts characters (code points) rather than code units, the box holds twice as many
 * code units, and the check keeps giving its own, exact message.
 */
export const TEXT_MAX = {
  /** Record members, as shared/records/schema limits them. */
  title: LIMITS.title,
  short: LIMITS.short,
  secret: LIMITS.secret,
  url: LIMITS.url,
  notes: LIMITS.notes,
  pem: LIMITS.pem,
  /** hostSchema: at most 255 characters. */
  host: 255,
  /** A port, 1 to 65535. */
  port: 5,
  /** A payment card's brand (record-types.ts). */
  cardBrand: 128,
  /** 12 to 19 digits, with a space or hyphen between any of them. */
  cardNumber: 64,
  expiryMonth: 2,
  expiryYear: 4,
  securityCode: 4,
  pin: 12,
  /** custom-fields.ts: a custom field's name. */
  customFieldName: 128,
  /** A custom date, YYYY-MM-DD. */
  date: 10,
  /**
   * The one-time-code box also takes a Google Authenticator export link, whose data may hold
   * 32,768 characters (shared/records/totp/migration.ts), plus its scheme and parameters.
   */
  otpInput: 32_768 + 256,
  /**
   * shared/keys/master-password.ts refuses input over 4,096 code units before normalising; the
   * 1,024-byte limit after it has its own "too long" message.
   */
  masterPassword: 4_096,
  /** The passphrase generator's separator: at most 8 characters (code points). */
  separator: 16,
  /** vault-client.ts: a folder name has at most 200 characters (code points). */
  folderName: 400,
  /** displayNameField: application and device names, 1 to 100 characters. */
  displayName: 100,
  /** shared/ipc/settings.ts: the server address. */
  serverUrl: 2_048,
  /** An account, device or application id (the audit filters): at most 64 characters. */
  id: 64,
  /** The server takes at most 64 address ranges, each at most 43 characters (IPv6 CIDR). */
  cidrList: 64 * 64,
  /** What the record search and the searchable pickers match: longer text matches nothing. */
  search: LIMITS.short,
} as const;

const HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

/** `text` cut to `max` code units, never between the two halves of a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  return HIGH_SURROGATE.test(head) ? head.slice(0, -1) : head;
}

/** What a box at its limit says; undefined while there is room left. */
export function limitNotice(text: string, max: number): string | undefined {
  if (text.length < max) return undefined;
  return `Limit reached: this field holds at most ${max.toLocaleString('en-US')} characters.`;
}

/** How many characters a number box needs for whole numbers up to `max` (its `maxLength`). */
export function digitsOf(max: number): number {
  return String(max).length;
}
