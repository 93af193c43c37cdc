import { CofferError } from '../../shared/errors.ts';
import type { Logger } from './logger.ts';

/**
 * The one gate through which Coffer hands a URL to the operating system (EL-05). The decision is
 * made here, in main, on the parsed URL: only `https:` to an allow-listed host, no credentials,
 * bounded length. Anything else — `file:`, `smb:`, `ms-msdt:`, `javascript:`, plain `http:` — is
 * refused before the OS sees it, because the OS would happily launch a handler for it
 * (Element Desktop GHSA-mjrg-9f8r-h3m7). Nothing else in main may call `shell.openExternal`.
 */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

export interface OpenOptions {
  /**
   * A record's URL that the user has just seen in full and confirmed in the record pane
   * (issue #4, LS-05/EL-05): any host, still https only, without credentials and within the
   * length cap. The allow-list is for links the page follows on its own, with no such question.
   */
  readonly confirmedRecordLink?: boolean;
  /**
   * One extra origin allowed for this call only: the identity provider's authorization endpoint
   * during sign-in. It may be `https:`, or `http:` on a loopback IP literal (a development
   * identity provider on this machine, RFC 8252 §7.3).
   */
  readonly allowOrigin?: string;
}

export interface ExternalLinkGate {
  open(url: string, options?: OpenOptions): Promise<void>;
}

export interface ExternalLinkGateOptions {
  /** Exact host names (lower case) whose https links may open, e.g. `docs.example.com`. */
  readonly allowedHosts: () => readonly string[];
  readonly openExternal: (url: string) => Promise<void>;
  readonly log: Logger;
}

const LOOPBACK_LITERALS = new Set(['127.0.0.1', '[::1]']);

function refuse(reason: string, log: Logger, fields: Record<string, string | number>): never {
  log.warn('open refused', { reason, ...fields });
  throw new CofferError('external_link_refused', `The link was not opened: ${reason}.`);
}

function isOneOffOrigin(url: URL, allowOrigin: string | undefined): boolean {
  if (allowOrigin === undefined) return false;
  let allowed: URL;
  try {
    allowed = new URL(allowOrigin);
  } catch {
    return false;
  }
  const secure = allowed.protocol === 'https:';
  const loopback = allowed.protocol === 'http:' && LOOPBACK_LITERALS.has(allowed.hostname);
  return (secure || loopback) && url.origin === allowed.origin;
}

export function createExternalLinkGate(options: ExternalLinkGateOptions): ExternalLinkGate {
  const { log } = options;
  return {
    async open(raw, openOptions) {
      if (typeof raw !== 'string' || raw.length === 0) {
        refuse('not a URL', log, { length: 0 });
      }
      if (raw.length > MAX_EXTERNAL_URL_LENGTH) {
        refuse('the URL is too long', log, { length: raw.length });
      }
      let url: URL;
      try {
        // The WHATWG parser strips leading spaces and lower-cases the scheme, so " JAVASCRIPT:"
        // is judged as the javascript: URL it is, not as an unknown string.
        url = new URL(raw);
      } catch {
        refuse('not a URL', log, { length: raw.length });
      }
      const scheme = url.protocol;
      if (url.username !== '' || url.password !== '') {
        refuse('the URL carries credentials', log, { scheme });
      }
      if (isOneOffOrigin(url, openOptions?.allowOrigin)) {
        log.info('opening sign-in page', { scheme, length: raw.length });
        await options.openExternal(url.href);
        return;
      }
      if (scheme !== 'https:') {
        refuse('only https links open', log, { scheme });
      }
      const host = url.hostname.toLowerCase();
      if (openOptions?.confirmedRecordLink === true) {
        log.info('opening confirmed record link', { scheme, length: raw.length });
        await options.openExternal(url.href);
        return;
      }
      if (!options.allowedHosts().includes(host)) {
        refuse('the host is not on the allow-list', log, { scheme, hostLength: host.length });
      }
      log.info('opening link', { scheme, length: raw.length });
      await options.openExternal(url.href);
    },
  };
}
