import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Environment variables the CLI and SDK read, in one place. */
export const ENV = {
  /** A whole device configuration, base64 (`coffer init --print-config`), for CI secret stores. */
  config: 'COFFER_CONFIG',
  /** Profile name when `--profile` is not given. */
  profile: 'COFFER_PROFILE',
  /** Server origin to call instead of the one the token named. */
  server: 'COFFER_SERVER',
  /** The one-time token for `coffer init`. */
  token: 'COFFER_TOKEN',
} as const;

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * `$XDG_CONFIG_HOME/coffer`, else `~/.config/coffer` (XDG Base Directory spec: a relative
 * XDG_CONFIG_HOME is invalid and ignored). Profiles, the current-profile marker and the
 * offline cache live under it, owner-only.
 */
export function configDir(env: Environment = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'coffer');
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.config', 'coffer');
}

export function profilesDir(root: string): string {
  return join(root, 'profiles');
}

export function cacheDir(root: string): string {
  return join(root, 'cache');
}
