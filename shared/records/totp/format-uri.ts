import { validateOtpEntry } from './entry-schema.ts';
import type { OtpEntry } from './types.ts';

/**
 * The canonical `otpauth://` URI of an entry (Key URI Format), for export and QR display. Every
 * parameter is written, so a reader with other defaults computes the same codes. Steam entries
 * are written as TOTP with `encoder=steam` and `issuer=Steam`, which KeePassXC, Bitwarden and
 * Coffer read back as Steam Guard; readers that know neither at least keep the secret.
 */
export function formatOtpUri(stored: OtpEntry): string {
  const entry = validateOtpEntry(stored);
  const type = entry.type === 'hotp' ? 'hotp' : 'totp';
  const params = [`secret=${entry.secret}`];
  if (entry.issuer !== '') params.push(`issuer=${encodeURIComponent(entry.issuer)}`);
  params.push(`algorithm=${entry.algorithm}`, `digits=${entry.digits}`);
  if (entry.type === 'hotp') params.push(`counter=${entry.counter}`);
  else params.push(`period=${entry.period}`);
  if (entry.type === 'steam') params.push('encoder=steam');
  return `otpauth://${type}/${formatLabel(entry.issuer, entry.account)}?${params.join('&')}`;
}

/**
 * `Issuer:account`, each part percent-encoded. With no issuer, an account holding a colon gets an
 * empty prefix (`:a:b`) so that reading it back does not mistake the account's start for one.
 */
function formatLabel(issuer: string, account: string): string {
  const encodedAccount = encodeURIComponent(account);
  if (issuer !== '') return `${encodeURIComponent(issuer)}:${encodedAccount}`;
  return account.includes(':') ? `:${encodedAccount}` : encodedAccount;
}
