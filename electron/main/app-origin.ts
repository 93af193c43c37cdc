import {
  DESKTOP_APP_HOST,
  DESKTOP_APP_ORIGIN,
  DESKTOP_APP_SCHEME,
} from '../../shared/protocol/desktop-app-origin.ts';

/**
 * Which pages are "ours". The packaged renderer is served from a privileged custom scheme rather
 * than file:// (the `grantFileProtocolExtraPrivileges` fuse is off, and a file:// page would share
 * its origin with every local file). During development only, electron-vite's dev server origin
 * is trusted instead.
 */
// One definition in shared/: the server allows this origin for CORS by the same constant.
export const APP_SCHEME = DESKTOP_APP_SCHEME;
export const APP_HOST = DESKTOP_APP_HOST;
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export interface AppOrigin {
  /** The URL the main window loads. */
  readonly entryUrl: string;
  /** True when `url` is a page of the app itself (same scheme, host and port). */
  isAppUrl(url: string): boolean;
  /** The origin as CSP and logs spell it. */
  readonly origin: string;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * `devServerUrl` is honoured only when the app is not packaged, and only for a loopback http
 * origin, so an environment variable can never point a release build at a remote page.
 */
export function resolveAppOrigin(options: {
  isPackaged: boolean;
  devServerUrl?: string | undefined;
}): AppOrigin {
  const dev = options.isPackaged ? undefined : parse(options.devServerUrl ?? '');
  const devIsLoopback =
    dev !== undefined &&
    dev.protocol === 'http:' &&
    (dev.hostname === '127.0.0.1' || dev.hostname === 'localhost' || dev.hostname === '[::1]');
  if (dev !== undefined && devIsLoopback) {
    const origin = dev.origin;
    return {
      entryUrl: dev.href,
      origin,
      isAppUrl: (url) => parse(url)?.origin === origin,
    };
  }
  return {
    entryUrl: APP_ENTRY_URL,
    origin: DESKTOP_APP_ORIGIN,
    // Node's URL gives custom schemes an opaque origin, so compare scheme and host directly.
    isAppUrl: (url) => {
      const parsed = parse(url);
      return (
        parsed !== undefined &&
        parsed.protocol === `${APP_SCHEME}:` &&
        parsed.host === APP_HOST &&
        parsed.username === '' &&
        parsed.password === ''
      );
    },
  };
}
