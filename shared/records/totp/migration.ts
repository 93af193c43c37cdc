import { BinaryReader, WireType, base64Decode } from '@bufbuild/protobuf/wire';
import { CofferError, isCofferError } from '../../errors.ts';
import type { ErrorCode } from '../../protocol/error-codes.ts';
import { encodeBase32, normaliseBase32Secret } from './base32.ts';
import { buildEntry, secretWarnings } from './build-entry.ts';
import { FormQuery, safeDecode } from './form-query.ts';
import { cleanLabelText, isSteamIssuer, sameIssuer, splitLabel } from './labels.ts';
import { checkCounter } from './params.ts';
import { DEFAULT_PERIOD } from './types.ts';
import type { OtpAlgorithm, ParsedOtp } from './types.ts';

/**
 * Google Authenticator's "Transfer accounts" QR codes: `otpauth-migration://offline?data=<base64
 * of a MigrationPayload protobuf>`. The message layout is not published by Google; field numbers
 * below follow the de-facto description shared by the tools that read these exports.
 *
 *   MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
 *                      int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
 *   OtpParameters    { bytes secret = 1; string name = 2; string issuer = 3;
 *                      Algorithm algorithm = 4; DigitCount digits = 5; OtpType type = 6;
 *                      int64 counter = 7; }
 */

/** One large export QR code carries about 2 kB; this leaves ample room and bounds the decoder. */
export const MIGRATION_DATA_MAX_CHARS = 32_768;

/** Which QR code of a multi-code export this was, so the UI can ask for the others. */
export interface MigrationBatch {
  /** How many QR codes the export was split into (1 when it was not split). */
  readonly size: number;
  /** 0-based position of this QR code in the export. */
  readonly index: number;
  /** Shared by every QR code of one export; tells two exports apart. */
  readonly id: number;
}

/** An account of the export that could not be imported; the others still are. */
export interface SkippedAccount {
  /** 0-based position of the account inside this QR code. */
  readonly position: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface MigrationImport {
  readonly accounts: readonly ParsedOtp[];
  readonly skipped: readonly SkippedAccount[];
  readonly batch: MigrationBatch;
}

export function parseMigrationUri(text: string): MigrationImport {
  const match = /^otpauth-migration:\/\/([^/?#]*)\/?\?([^#]*)(?:#.*)?$/is.exec(text);
  if (match === null || (match[1] ?? '').toLowerCase() !== 'offline') {
    throw new CofferError(
      'otp_invalid_migration',
      'Malformed export link: expected otpauth-migration://offline?data=…',
    );
  }
  // The raw value, not the form-decoded one: '+' is a base64 digit here (dim13/otpauth#12).
  const raw = new FormQuery(match[2] ?? '').rawValue('data');
  if (raw === undefined || raw === '') {
    throw new CofferError('otp_invalid_migration', 'The export link has no data parameter');
  }
  return decodeMigrationPayload(decodeData(raw));
}

function decodeData(raw: string): Uint8Array {
  if (raw.length > MIGRATION_DATA_MAX_CHARS) {
    throw new CofferError('otp_invalid_migration', 'The export data is implausibly long');
  }
  const unescaped = safeDecode(raw);
  if (unescaped === undefined) {
    throw new CofferError(
      'otp_invalid_migration',
      'The export data has malformed percent-encoding',
    );
  }
  // Base64 has no spaces: a space is a '+' that an earlier form decoder (URLSearchParams, PHP's
  // urldecode) turned into one, so it is put back rather than silently dropped.
  const base64 = unescaped.replace(/ /g, '+').replace(/[\r\n\t]/g, '');
  const bad = /[^A-Za-z0-9+/=_-]/.exec(base64);
  if (bad !== null) {
    throw new CofferError(
      'otp_invalid_migration',
      `The export data is not base64: bad character at position ${bad.index + 1}`,
    );
  }
  // base64Decode throws a bare Error on an impossible length and silently skips '=' found
  // mid-string, so both are refused here with a message that names the fault.
  const digits = base64.replace(/=+$/, '');
  if (digits.includes('=') || base64.length - digits.length > 2 || digits.length % 4 === 1) {
    throw new CofferError(
      'otp_invalid_migration',
      'The export data is not base64: it is cut short or its padding is misplaced',
    );
  }
  try {
    return base64Decode(digits);
  } catch (error) {
    throw new CofferError('otp_invalid_migration', 'The export data is not base64', {
      cause: error,
    });
  }
}

/** Reads a MigrationPayload; one damaged account is skipped, a damaged envelope is refused. */
export function decodeMigrationPayload(bytes: Uint8Array): MigrationImport {
  const parameters: Uint8Array[] = [];
  let batchSize = 0;
  let batchIndex = 0;
  let batchId = 0;
  guardDecode(() => {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) parameters.push(reader.bytes());
      else if (field === 3 && wire === WireType.Varint) batchSize = reader.int32();
      else if (field === 4 && wire === WireType.Varint) batchIndex = reader.int32();
      else if (field === 5 && wire === WireType.Varint) batchId = reader.int32();
      else reader.skip(wire, field);
    }
  });
  const size = batchSize === 0 ? 1 : batchSize;
  if (size < 0 || batchIndex < 0 || batchIndex >= size) {
    throw new CofferError(
      'otp_invalid_migration',
      'The export is damaged: its batch numbering is inconsistent',
    );
  }
  if (parameters.length === 0) {
    throw new CofferError('otp_invalid_migration', 'The export holds no accounts');
  }

  const accounts: ParsedOtp[] = [];
  const skipped: SkippedAccount[] = [];
  parameters.forEach((message, position) => {
    try {
      accounts.push(decodeAccount(message));
    } catch (error) {
      if (!isCofferError(error)) throw error;
      skipped.push({ position, code: error.code, message: error.message });
    }
  });
  return { accounts, skipped, batch: { size, index: batchIndex, id: batchId } };
}

interface RawAccount {
  secret: Uint8Array;
  name: string;
  issuer: string;
  algorithm: number;
  digits: number;
  type: number;
  counter: bigint;
}

function decodeAccount(message: Uint8Array): ParsedOtp {
  const raw: RawAccount = {
    secret: new Uint8Array(0),
    name: '',
    issuer: '',
    algorithm: 0,
    digits: 0,
    type: 0,
    counter: 0n,
  };
  guardDecode(() => {
    const reader = new BinaryReader(message);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      const delimited = wire === WireType.LengthDelimited;
      const varint = wire === WireType.Varint;
      if (field === 1 && delimited) raw.secret = reader.bytes();
      else if (field === 2 && delimited) raw.name = reader.string(true);
      else if (field === 3 && delimited) raw.issuer = reader.string(true);
      else if (field === 4 && varint) raw.algorithm = reader.int32();
      else if (field === 5 && varint) raw.digits = reader.int32();
      else if (field === 6 && varint) raw.type = reader.int32();
      else if (field === 7 && varint) raw.counter = BigInt(reader.int64());
      else reader.skip(wire, field);
    }
  });
  return toParsedOtp(raw);
}

function toParsedOtp(raw: RawAccount): ParsedOtp {
  if (raw.secret.length === 0) {
    throw new CofferError(
      'otp_invalid_secret',
      'Missing secret: an account of the export has none',
    );
  }
  const secret = normaliseBase32Secret(encodeBase32(raw.secret));
  let issuer = cleanLabelText(raw.issuer, 'issuer');
  // Google stores the whole label as the name; drop an `Issuer:` prefix that repeats the issuer
  // (google-authenticator-android#118), or take it as the issuer when none was stored.
  const split = splitLabel(raw.name, issuer);
  const prefix = cleanLabelText(split.prefix ?? '', 'issuer');
  let account = cleanLabelText(raw.name, 'account');
  if (prefix !== '' && (issuer === '' || sameIssuer(prefix, issuer))) {
    issuer = issuer || prefix;
    account = cleanLabelText(split.account, 'account');
  }
  const type = otpType(raw.type);
  const steam = type === 'totp' && isSteamIssuer(issuer);
  const entry = buildEntry({
    type: steam ? 'steam' : type,
    issuer,
    account,
    secret,
    algorithm: algorithm(raw.algorithm),
    digits: digitCount(raw.digits),
    period: DEFAULT_PERIOD,
    counter: type === 'hotp' ? checkCounter(Number(raw.counter)) : 0,
  });
  return { entry, warnings: secretWarnings(secret) };
}

function algorithm(value: number): OtpAlgorithm {
  // 0 = unspecified: Google writes SHA1 for it, as every authenticator defaults to.
  if (value === 0 || value === 1) return 'SHA1';
  if (value === 2) return 'SHA256';
  if (value === 3) return 'SHA512';
  throw new CofferError(
    'unsupported_algorithm',
    value === 4
      ? "Unsupported algorithm 'MD5': one-time codes use SHA1, SHA256 or SHA512"
      : 'Unsupported algorithm: one-time codes use SHA1, SHA256 or SHA512',
  );
}

function digitCount(value: number): number {
  if (value === 0 || value === 1) return 6;
  if (value === 2) return 8;
  throw new CofferError('otp_invalid_parameter', 'digits out of range: codes have 6 to 8 digits');
}

function otpType(value: number): 'totp' | 'hotp' {
  if (value === 1) return 'hotp';
  if (value === 0 || value === 2) return 'totp';
  throw new CofferError(
    'otp_invalid_parameter',
    'Unknown one-time-code type: expected totp, hotp or steam',
  );
}

/** The protobuf reader throws plain Errors on truncated or malformed input; give them a code. */
function guardDecode(read: () => void): void {
  try {
    read();
  } catch (error) {
    if (isCofferError(error)) throw error;
    throw new CofferError(
      'otp_invalid_migration',
      'The export data is damaged: it is not a Google Authenticator account list',
      { cause: error },
    );
  }
}
