import { CofferError } from '../../errors.ts';
import { normaliseBase32Secret } from './base32.ts';
import { buildEntry, secretWarnings } from './build-entry.ts';
import { FormQuery, decodeDisplayText, safeDecode } from './form-query.ts';
import { cleanLabelText, isSteamIssuer, sameIssuer, splitLabel } from './labels.ts';
import { parseAlgorithm, parseCounter, parseDigits, parsePeriod } from './params.ts';
import { DEFAULT_PERIOD, MIN_DIGITS, STEAM_DIGITS } from './types.ts';
import type { OtpWarning, ParsedOtp } from './types.ts';

/** Far above any real URI or export QR code (about 3 kB at most); bounds work on pasted junk. */
export const MAX_OTP_INPUT_CHARS = 65536;

export interface ParseOtpOptions {
  /** Issuer to use when the input names none (a bare secret, `steam://`): e.g. a record's title. */
  readonly issuer?: string;
  /** Account to use when the input names none: e.g. a login record's user name. */
  readonly account?: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** Schemes people paste by mistake; naming them back helps, and none of them can be a secret. */
const NAMEABLE_SCHEMES = new Set(['http', 'https', 'ftp', 'file', 'mailto', 'data', 'javascript']);

/**
 * Reads one one-time-code entry from an `otpauth://totp|hotp|steam/…` URI, a `steam://SECRET`
 * link, or a bare base32 secret (TOTP, SHA1, 6 digits, 30 s — the defaults every authenticator
 * assumes for manual entry). Google Authenticator exports hold several accounts: use
 * `readOtpInput` for those.
 */
export function parseOtp(input: string, options: ParseOtpOptions = {}): ParsedOtp {
  const text = prepareInput(input);
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return parseBareSecret(text, options);
  if (scheme === 'otpauth') return parseOtpauthUri(text, options);
  if (scheme === 'steam') return parseSteamLink(text, options);
  if (scheme === 'otpauth-migration') {
    throw new CofferError(
      'invalid_input',
      'This is a Google Authenticator export (otpauth-migration), which can hold several ' +
        'accounts: add it through the export import, not as a single code',
    );
  }
  const named = NAMEABLE_SCHEMES.has(scheme) ? ` '${scheme}:'` : '';
  throw new CofferError(
    'invalid_input',
    `Unknown scheme${named}: expected otpauth://, otpauth-migration:// or steam://, ` +
      'or a base32 secret',
  );
}

/** Trims the input and refuses what is not text of a plausible size. */
export function prepareInput(input: unknown): string {
  if (typeof input !== 'string') {
    throw new CofferError('invalid_input', 'One-time-code input must be text');
  }
  if (input.length > MAX_OTP_INPUT_CHARS) {
    throw new CofferError(
      'invalid_input',
      `One-time-code input is longer than ${MAX_OTP_INPUT_CHARS} characters`,
    );
  }
  const text = input.replace(/^[\s\uFEFF]+|[\s\uFEFF]+$/gu, '');
  if (text === '') {
    throw new CofferError('otp_invalid_secret', 'Missing secret: the input is empty');
  }
  return text;
}

function parseBareSecret(text: string, options: ParseOtpOptions): ParsedOtp {
  const secret = normaliseBase32Secret(text);
  const entry = buildEntry({
    type: 'totp',
    issuer: cleanLabelText(options.issuer ?? '', 'issuer'),
    account: cleanLabelText(options.account ?? '', 'account'),
    secret,
    algorithm: 'SHA1',
    digits: MIN_DIGITS,
    period: DEFAULT_PERIOD,
    counter: 0,
  });
  return { entry, warnings: secretWarnings(secret) };
}

/** `steam://SECRET`, as Bitwarden and Keyguard store Steam Guard secrets (keyguard-app#536). */
function parseSteamLink(text: string, options: ParseOtpOptions): ParsedOtp {
  const body = text.replace(/^steam:(\/\/)?/i, '').replace(/[?#].*$/s, '');
  const decoded = safeDecode(body);
  if (decoded === undefined) {
    throw new CofferError('otp_invalid_secret', 'Secret has malformed percent-encoding');
  }
  const secret = normaliseBase32Secret(decoded);
  const entry = buildEntry({
    type: 'steam',
    issuer: cleanLabelText(options.issuer ?? 'Steam', 'issuer') || 'Steam',
    account: cleanLabelText(options.account ?? '', 'account'),
    secret,
    algorithm: 'SHA1',
    digits: STEAM_DIGITS,
    period: DEFAULT_PERIOD,
    counter: 0,
  });
  return { entry, warnings: secretWarnings(secret) };
}

function parseOtpauthUri(text: string, options: ParseOtpOptions): ParsedOtp {
  const match = /^otpauth:\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?(?:#.*)?$/is.exec(text);
  if (match === null) {
    throw new CofferError(
      'invalid_input',
      'Malformed otpauth URI: expected otpauth://TYPE/LABEL?secret=…',
    );
  }
  const type = resolveType(match[1] ?? '');
  const label = decodeDisplayText(match[2] ?? '');
  if (label === undefined) {
    throw new CofferError('invalid_input', 'The URI label has malformed percent-encoding');
  }
  const query = new FormQuery(match[3] ?? '');

  const rawSecret = query.value('secret', 'otp_invalid_secret');
  if (rawSecret === undefined || rawSecret.trim() === '') {
    throw new CofferError('otp_invalid_secret', 'Missing secret: the URI has no secret parameter');
  }
  const issuerParam = cleanLabelText(query.value('issuer') ?? '', 'issuer');
  const split = splitLabel(label, issuerParam);
  const labelIssuer = cleanLabelText(split.prefix ?? '', 'issuer');
  const account = cleanLabelText(split.account, 'account');
  // When label prefix and parameter disagree the parameter wins (Key URI Format; rejecting, as
  // some libraries did, locked users out: hectorm/otpauth#25, Spomky-Labs/otphp#242).
  const issuer = issuerParam !== '' ? issuerParam : labelIssuer;
  const warnings: OtpWarning[] = [];
  if (issuerParam !== '' && labelIssuer !== '' && !sameIssuer(labelIssuer, issuerParam)) {
    warnings.push({ kind: 'issuer_mismatch', labelIssuer });
  }

  const encoder = query.value('encoder')?.trim().toLowerCase();
  const steam =
    type === 'steam' || (type === 'totp' && (encoder === 'steam' || isSteamIssuer(issuer)));
  const algorithm = parseAlgorithm(query.value('algorithm'));
  // Steam codes are always five characters whatever `digits` says (2FAS writes digits=5, others 6).
  const digits = steam ? STEAM_DIGITS : parseDigits(query.value('digits'));
  const period = type === 'hotp' ? DEFAULT_PERIOD : parsePeriod(query.value('period'));
  let counter = 0;
  if (type === 'hotp') {
    const rawCounter = query.value('counter');
    if (rawCounter === undefined || rawCounter.trim() === '') {
      warnings.push({ kind: 'hotp_counter_missing' });
    } else {
      counter = parseCounter(rawCounter);
    }
  }
  const secret = normaliseBase32Secret(rawSecret);
  const entry = buildEntry({
    type: steam ? 'steam' : type,
    issuer: issuer || cleanLabelText(options.issuer ?? (steam ? 'Steam' : ''), 'issuer'),
    account: account || cleanLabelText(options.account ?? '', 'account'),
    secret,
    algorithm,
    digits,
    period,
    counter,
  });
  return { entry, warnings: [...secretWarnings(secret), ...warnings] };
}

function resolveType(raw: string): 'totp' | 'hotp' | 'steam' {
  const type = raw.trim().toLowerCase();
  if (type === 'totp' || type === 'hotp' || type === 'steam') return type;
  throw new CofferError(
    'otp_invalid_parameter',
    type === ''
      ? 'Missing one-time-code type: expected otpauth://totp/, otpauth://hotp/ or otpauth://steam/'
      : 'Unknown one-time-code type: expected totp, hotp or steam',
  );
}
