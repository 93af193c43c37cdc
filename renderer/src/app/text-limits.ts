import { AUDIT_FILTER_ID_MAX } from '../../../shared/client/audit-client.ts';
import { FOLDER_NAME_MAX } from '../../../shared/client/folder-name.ts';
import { SERVER_URL_MAX } from '../../../shared/ipc/settings.ts';
import { MASTER_PASSWORD_MAX_INPUT_CODE_UNITS } from '../../../shared/keys/master-password.ts';
import { IP_RULE_MAX_RANGES } from '../../../shared/protocol/bodies.ts';
import { DISPLAY_NAME_MAX } from '../../../shared/protocol/fields.ts';
import { PASSPHRASE_SEPARATOR_MAX } from '../../../shared/records/generator/passphrase.ts';
import { CUSTOM_FIELD_NAME_MAX } from '../../../shared/records/schema/custom-fields.ts';
import { LIMITS } from '../../../shared/records/schema/index.ts';
import { CARD_BRAND_MAX } from '../../../shared/records/schema/record-types.ts';
import { HOST_MAX, PORT_MAX } from '../../../shared/records/schema/strings.ts';
import { MIGRATION_DATA_MAX_CHARS } from '../../../shared/records/totp/migration.ts';

/**
 * The most each text box of the app holds, in UTF-16 code units: what `maxLength` and
 * `String.length` count. Every box has one, so a pasted or scripted megabyte never reaches a
 * parser, the search index, a strength meter or a layout pass (7 MiB set into Notes once took
 * the tab past 13 GB).
 *
 * Each is the longest value the field's own check accepts, so no valid value is ever cut. Where
 * that check counts characters (code points) rather than code units, the box holds twice as many
 * code units, and the check keeps giving its own, exact message. Each number comes from the module
 * whose check it mirrors, so the two cannot drift; only the boxes no shared check bounds keep a
 * number of their own here.
 */
export const TEXT_MAX = {
  /** Record members, as shared/records/schema limits them. */
  title: LIMITS.title,
  short: LIMITS.short,
  secret: LIMITS.secret,
  url: LIMITS.url,
  notes: LIMITS.notes,
  pem: LIMITS.pem,
  host: HOST_MAX,
  port: digitsOf(PORT_MAX),
  cardBrand: CARD_BRAND_MAX,
  /** 12 to 19 digits, with a space or hyphen between any of them. */
  cardNumber: 64,
  expiryMonth: 2,
  expiryYear: 4,
  securityCode: 4,
  pin: 12,
  customFieldName: CUSTOM_FIELD_NAME_MAX,
  /** A custom date, YYYY-MM-DD. */
  date: 10,
  /**
   * The one-time-code box also takes a Google Authenticator export link: its data, plus the
   * link's scheme and parameters.
   */
  otpInput: MIGRATION_DATA_MAX_CHARS + 256,
  /** The 1,024-byte limit after normalising has its own "too long" message. */
  masterPassword: MASTER_PASSWORD_MAX_INPUT_CODE_UNITS,
  /** Its check counts code points. */
  separator: PASSPHRASE_SEPARATOR_MAX * 2,
  /** Its check counts code points, after trimming. */
  folderName: FOLDER_NAME_MAX * 2,
  /** Application and device names. */
  displayName: DISPLAY_NAME_MAX,
  serverUrl: SERVER_URL_MAX,
  /** An account, device or application id (the audit filters). */
  id: AUDIT_FILTER_ID_MAX,
  /** 64 a range: a canonical IPv6 CIDR has at most 43, the rest is room for commas and spaces. */
  cidrList: IP_RULE_MAX_RANGES * 64,
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
