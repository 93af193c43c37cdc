import { CofferError } from '../../errors.ts';

/** Issuers and accounts are display text; a cap keeps a hostile URI from bloating a record. */
export const MAX_LABEL_CHARS = 512;

/**
 * Makes issuer or account text safe to show: control characters (which could fake line breaks in
 * a list or a log) become spaces, and surrounding spaces go (`Example:%20alice` → `alice`,
 * google-authenticator Key-Uri-Format allows a space after the colon).
 */
export function cleanLabelText(text: string, what: 'issuer' | 'account'): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here.
  const cleaned = text.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ').trim();
  if (cleaned.length > MAX_LABEL_CHARS) {
    throw new CofferError(
      'invalid_input',
      `The ${what} is longer than ${MAX_LABEL_CHARS} characters`,
    );
  }
  return cleaned;
}

export interface SplitLabel {
  /** The `Issuer:` prefix, when the label has one. */
  readonly prefix: string | undefined;
  readonly account: string;
}

/**
 * Splits `Issuer:account` at its colon — an encoded `%3A` has been decoded before, so both forms
 * split alike (Spomky-Labs/otphp#225). When the issuer is known and itself holds a colon, that
 * exact prefix is removed first so the account is not cut inside the issuer.
 */
export function splitLabel(label: string, knownIssuer: string): SplitLabel {
  if (knownIssuer !== '' && label.startsWith(`${knownIssuer}:`)) {
    return { prefix: knownIssuer, account: label.slice(knownIssuer.length + 1) };
  }
  const colon = label.indexOf(':');
  if (colon === -1) return { prefix: undefined, account: label };
  return { prefix: label.slice(0, colon), account: label.slice(colon + 1) };
}

/**
 * Whether a label prefix names the same issuer as the parameter. Case, repeated spaces and a `+`
 * left from form encoding (`Contoso+Ltd`) are not a disagreement worth reporting.
 */
export function sameIssuer(a: string, b: string): boolean {
  const fold = (text: string): string =>
    text.replace(/\+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  return fold(a) === fold(b);
}

/**
 * Steam Guard secrets reach us as ordinary TOTP URIs whose issuer is Steam (FreeOTP, andOTP and
 * Bitwarden exports; freeotp-android PR#105). Steam accepts no other kind of code, so a TOTP entry
 * for Steam is a Steam Guard token.
 */
export function isSteamIssuer(issuer: string): boolean {
  return issuer.trim().toLowerCase() === 'steam';
}
