import type { Settings } from '../../shared/ipc/settings.ts';

/**
 * Hosts whose https links may open in the system browser: the configured vault server (its web
 * vault and help pages). Record URLs of arbitrary sites are deliberately not on it; opening those
 * needs a confirmation step in the renderer first (TODO(#4): confirm-then-open for record URLs).
 */
export function allowedLinkHosts(settings: Pick<Settings, 'serverUrl'>): string[] {
  try {
    const server = new URL(settings.serverUrl);
    return server.protocol === 'https:' ? [server.hostname.toLowerCase()] : [];
  } catch {
    return [];
  }
}
