import { isCofferError } from '../../../shared/errors.ts';

/** A message a person can act on, for any failure; codes pick the wording, never message text. */
export function describeError(error: unknown): string {
  if (!isCofferError(error)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'wrong_master_password':
      return 'Wrong master password. Check it and try again.';
    case 'server_unreachable':
      return 'The server could not be reached. Check the address and your connection.';
    case 'vault_locked':
      return 'The vault is locked. Unlock it to continue.';
    case 'revision_conflict':
      return 'This item was changed elsewhere; the newer version is shown. Your edit is still here.';
    default:
      return error.message;
  }
}
