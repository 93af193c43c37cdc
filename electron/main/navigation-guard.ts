import type { WebContents } from 'electron';
import type { ExternalLinkGate } from './external-links.ts';
import type { Logger } from './logger.ts';

/** The parts of WebContents the guard attaches to; a structural type so tests can pass a fake. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface NavigationGuardOptions {
  readonly isAppUrl: (url: string) => boolean;
  readonly gate: ExternalLinkGate;
  readonly log: Logger;
}

function schemeOf(url: string): string {
  const colon = url.indexOf(':');
  return colon > 0 && colon < 32 ? url.slice(0, colon + 1).toLowerCase() : 'invalid';
}

/**
 * Pins a web contents to the app (EL-01, EL-05): no navigation of the top frame or any subframe
 * away from the app's own pages, no redirects out, no new windows, no <webview>. A link the user
 * follows to another site is handed to the external-link gate, which opens it in the system
 * browser only if it is an allow-listed https link.
 */
export function guardWebContents(contents: GuardedContents, options: NavigationGuardOptions): void {
  const { isAppUrl, gate, log } = options;

  const toGate = (url: string) => {
    gate.open(url).catch(() => {
      // The gate has already logged why; the page simply stays where it is.
    });
  };

  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('navigation denied', { scheme: schemeOf(event.url), frame: 'main' });
    toGate(event.url);
  });

  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('frame navigation denied', {
      scheme: schemeOf(event.url),
      frame: event.isMainFrame ? 'main' : 'sub',
    });
  });

  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('redirect denied', { scheme: schemeOf(event.url) });
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview attach denied');
  });

  contents.setWindowOpenHandler((details) => {
    log.warn('new window denied', { scheme: schemeOf(details.url) });
    if (!isAppUrl(details.url)) toGate(details.url);
    return { action: 'deny' };
  });
}
