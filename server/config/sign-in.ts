import { CofferError } from '../../shared/errors.ts';
import type { Config } from './schema.ts';

/**
 * A server with no identity provider admits nobody: people sign in only through OpenID Connect,
 * and even a server that only answers devices needs an admin to sign in and issue their tokens.
 * Starting anyway would look healthy while being useless, so the process refuses, naming the
 * settings that fix it. (Replicas started in-process by tests share another server's config.)
 */
export function requireSomeoneCanSignIn(config: Config): void {
  if (config.identityProviders.length > 0 || config.devIdentityProvider.enabled) return;
  throw new CofferError(
    'config_invalid',
    'no identity provider is configured, so nobody could sign in: set COFFER_IDENTITY_PROVIDERS ' +
      '(identityProviders) to your OpenID Connect provider, or COFFER_DEV_IDP=true to try Coffer ' +
      'on one machine with the development provider',
  );
}
