import { CofferError } from '../../errors.ts';
import type { ErrorCode } from '../../protocol/error-codes.ts';

/**
 * The query of an `otpauth://` URI, read as exporters write it: `application/x-www-form-urlencoded`
 * where `+` means a space (2FAS writes `issuer=Air+Canada`; stratumauth/app#271). RFC 3986 would
 * keep `+` literal, but no issuer or account in a query means a literal plus, and a secret or a
 * number has none. Values are decoded only when asked for, so a malformed value in a parameter we
 * ignore (`image`, `color`) cannot fail the import.
 */
export class FormQuery {
  private readonly raw = new Map<string, string>();
  private readonly repeated = new Set<string>();

  constructor(query: string) {
    for (const part of query.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const rawName = eq === -1 ? part : part.slice(0, eq);
      const name = safeDecode(rawName.replace(/\+/g, ' '))?.trim().toLowerCase();
      if (name === undefined || name === '') continue;
      if (this.raw.has(name)) {
        this.repeated.add(name);
        continue;
      }
      this.raw.set(name, eq === -1 ? '' : part.slice(eq + 1));
    }
  }

  /** The value as written, still percent-encoded: for base64 payloads, where `+` is data. */
  rawValue(name: string): string | undefined {
    this.refuseRepeated(name);
    return this.raw.get(name);
  }

  /** The form-decoded value; `code` is the error code a malformed encoding reports. */
  value(name: string, code: ErrorCode = 'otp_invalid_parameter'): string | undefined {
    const raw = this.rawValue(name);
    if (raw === undefined) return undefined;
    const form = raw.replace(/\+/g, ' ');
    // Only the secret must decode strictly; a stray '%' in a name is not worth refusing.
    const decoded = name === 'secret' ? safeDecode(form) : decodeDisplayText(form);
    if (decoded === undefined) {
      throw new CofferError(code, `Parameter '${name}' has malformed percent-encoding`);
    }
    return decoded;
  }

  has(name: string): boolean {
    return this.raw.has(name);
  }

  /**
   * A parameter given twice is ambiguous — two apps reading the same QR code could pick different
   * secrets or issuers — so it is refused rather than resolved by position.
   */
  private refuseRepeated(name: string): void {
    if (this.repeated.has(name)) {
      throw new CofferError('otp_invalid_parameter', `Parameter '${name}' appears more than once`);
    }
  }
}

/**
 * Decodes display text (label, issuer) that may hold a bare `%` (`100% Corp`), which generators
 * often leave unescaped: a `%` not followed by two hex digits is kept as a literal. Invalid UTF-8
 * escapes still fail, since guessing their characters would show the wrong name.
 */
export function decodeDisplayText(text: string): string | undefined {
  return safeDecode(text) ?? safeDecode(text.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
}

/** decodeURIComponent without the throw: malformed escapes (`%ZZ`, stray UTF-8) → undefined. */
export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
