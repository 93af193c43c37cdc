import { CofferError } from '../../shared/errors.ts';
import type { VerifiedIdentity } from './id-token.ts';

/**
 * Who may sign in and who is an admin, from configuration alone. Domain rules read only a
 * verified e-mail; users are never matched by e-mail, only by (issuer, subject).
 */
export function checkSignInAllowed(identity: VerifiedIdentity): { isAdmin: boolean } {
  const { provider } = identity;
  const isAdmin =
    provider.adminSubjects.includes(identity.subject) ||
    identity.groups.some((group) => provider.adminGroups.includes(group));
  if (isAdmin) return { isAdmin };
  if (identity.groups.some((group) => provider.allowedGroups.includes(group))) {
    return { isAdmin };
  }
  const domain = emailDomain(identity.email);
  if (domain !== undefined && provider.allowedEmailDomains.includes(domain)) {
    if (!identity.emailVerified) {
      throw new CofferError(
        'email_not_verified',
        'Sign-in refused: the identity provider has not verified this e-mail address',
      );
    }
    return { isAdmin };
  }
  throw new CofferError(
    'sign_in_not_allowed',
    'Sign-in refused: this account is not in an allowed e-mail domain or group',
  );
}

/** The part after the last `@`, lower-cased; exact match only, so sub.example.com ≠ example.com. */
function emailDomain(email: string | undefined): string | undefined {
  if (email === undefined) return undefined;
  const at = email.lastIndexOf('@');
  return at <= 0 ? undefined : email.slice(at + 1).toLowerCase();
}
