import type { CofferError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/protocol/error-codes.ts';

/**
 * What to do next after a refusal. The server's messages say what happened ("This device has
 * been revoked") but not what the person at the terminal can do about it, and only the CLI knows
 * its own commands. Loaded only when a command fails.
 */
const ADD_DEVICE = 'Coffer app → Applications → the application → Add device';

const NEW_TOKEN =
  `ask a manager for a new device token (${ADD_DEVICE}) and run ` +
  '"coffer init --profile NAME" with it (or "coffer init --print-config" to replace COFFER_CONFIG)';

/**
 * Each next step names only what the product offers: a manager can enable an application again
 * and issue new device tokens, but a device's expiry and IP rule are fixed when its token is
 * issued, and a revoked device is never reinstated (DESIGN.md "Applications, one-time tokens and
 * devices").
 */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  device_revoked:
    'It was revoked by a manager, or with its application; it cannot be used again and its ' +
    `offline cache was deleted. To go on, ${NEW_TOKEN}.`,
  device_expired:
    'Its access ended at the expiry set when its token was issued, which cannot be extended. ' +
    `To go on, ${NEW_TOKEN}.`,
  application_disabled:
    'Nothing is wrong with this device: ask a manager to re-enable the application in the ' +
    'Coffer app (Applications → the application → Enable).',
  ip_not_allowed:
    "A device's IP rule is fixed when its token is issued: run the command from an address its " +
    'IP rule allows ("coffer status" from such an address shows the rule), or have a manager ' +
    `issue a new device token whose IP rule allows this address (${ADD_DEVICE}) and run ` +
    '"coffer init --profile NAME" with it.',
  unauthenticated:
    "The server did not find the request's Host and coffer-* signature headers intact: if a " +
    'proxy stands between this machine and the server, have it pass them through unchanged.',
  bad_signature:
    "If COFFER_SERVER is set, check that it keeps the server's public host name and port (see " +
    'COFFER_SERVER in cli/README.md). If the server does not know this device (a server other ' +
    'than the one that issued its token, or one restored from a backup older than the device), ' +
    `or the profile is damaged, ${NEW_TOKEN}.`,
};

/** The error's message followed by the next step, when there is one to suggest. */
export function withNextStep(error: CofferError): string {
  const next = NEXT_STEP[error.code];
  if (next === undefined || error.message.includes('coffer init')) return error.message;
  const message = error.message.trimEnd();
  return `${/[.!?]$/.test(message) ? message : `${message}.`} ${next}`;
}
