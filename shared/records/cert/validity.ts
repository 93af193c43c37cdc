/** Validity state of a certificate at a given instant (RFC 5280 §4.1.2.5). */
import { CofferError } from '../../errors.ts';
import type { CertificateValidity } from './types.ts';

const DAY_MS = 86_400_000;

/** Certificates this close to notAfter are shown as expiring, so renewal starts in time. */
export const EXPIRING_WITHIN_DAYS = 30;

/**
 * RFC 5280 §4.1.2.5: the validity period runs from notBefore through notAfter inclusive, so a
 * certificate is expired only after its notAfter instant.
 */
export function validityAt(
  period: { readonly notBefore: Date; readonly notAfter: Date },
  now: Date,
): CertificateValidity {
  if (Number.isNaN(now.getTime()))
    throw new CofferError('invalid_input', 'The instant to judge validity at is not a valid date.');
  const remaining = period.notAfter.getTime() - now.getTime();
  const daysLeft = Math.floor(remaining / DAY_MS);
  if (now.getTime() < period.notBefore.getTime()) return { state: 'not_yet_valid', daysLeft };
  if (remaining < 0) return { state: 'expired', daysLeft };
  if (remaining <= EXPIRING_WITHIN_DAYS * DAY_MS) return { state: 'expiring', daysLeft };
  return { state: 'valid', daysLeft };
}
