/**
 * What the server tells the apps about each identity provider besides its issuer and client ids,
 * and the loopback redirect form the desktop app uses (RFC 8252 §7.3; SECURITY-CASES OA-03).
 */

/**
 * How the desktop app's loopback redirect URI is shaped. `per-attempt-path` (the default) adds an
 * unguessable path segment per sign-in; `fixed-path` uses `/callback` alone, for providers that
 * compare the path exactly (Entra ID, Okta). State, PKCE and the one-shot listener apply to both.
 */
export const DESKTOP_REDIRECT_MODES = ['per-attempt-path', 'fixed-path'] as const;
export type DesktopRedirectMode = (typeof DESKTOP_REDIRECT_MODES)[number];

/**
 * `advertised` (the default): the discovery document must list S256 in
 * `code_challenge_methods_supported` (OA-01). `S256`: the administrator has verified that the
 * provider supports S256 although its document omits the field (Entra ID); a document that lists
 * methods without S256 is still refused.
 */
export const PKCE_POLICIES = ['advertised', 'S256'] as const;
export type PkcePolicy = (typeof PKCE_POLICIES)[number];

/** The loopback callback path; the per-attempt form appends `/<segment>`. */
export const DESKTOP_CALLBACK_PATH = '/callback';

/** Random bytes in a per-attempt segment: 128 bits, 22 base64url characters. */
export const PER_ATTEMPT_SEGMENT_BYTES = 16;

// Checked on the raw text: the redirect URI is compared character for character by the provider
// and at the token endpoint, so a form the URL parser would normalise must not pass.
const PER_ATTEMPT_REDIRECT =
  /^http:\/\/(?:127\.0\.0\.1|\[::1\]):([1-9][0-9]{0,4})\/callback\/[A-Za-z0-9_-]{22}$/;

/**
 * True for exactly `http://127.0.0.1:<port>/callback/<segment>` or the same on `[::1]`: an IP
 * loopback literal, an explicit port 1–65535, and one per-attempt segment of the listener's form.
 * No `localhost`, no query, fragment, credentials or further path.
 */
export function isPerAttemptLoopbackRedirect(uri: string): boolean {
  const match = PER_ATTEMPT_REDIRECT.exec(uri);
  return match !== null && Number(match[1]) <= 65_535;
}
