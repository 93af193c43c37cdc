import type { Settings } from '../../shared/ipc/settings.ts';

/**
 * Hosts whose https links may open in the system browser without a question: the configured
 * vault server (its web vault and help pages). Record URLs of arbitrary sites are deliberately
 * not on it; they open only after the user confirmed the full URL in the record pane, through the
 * gate's `confirmedRecordLink` path (still https only).
 */
export function allowedLinkHosts(settings: Pick<Settings, 'serverUrl'>): string[] {
  try {
    const server = new URL(settings.serverUrl);
    return server.protocol === 'https:' ? [server.hostname.toLowerCase()] : [];
  } catch {
    return [];
  }
}
