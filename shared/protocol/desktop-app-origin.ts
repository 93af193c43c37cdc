/**
 * The origin the packaged desktop renderer runs at: a privileged custom scheme served by the
 * Electron main process (electron/main/app-protocol.ts). Electron uses it to serve the bundle;
 * the server always answers CORS for it, because a web page cannot carry this origin (browsers
 * send only http(s) origins from the web) and the API authenticates with bearer tokens anyway.
 */
export const DESKTOP_APP_SCHEME = 'coffer-app';
export const DESKTOP_APP_HOST = 'bundle';
export const DESKTOP_APP_ORIGIN = `${DESKTOP_APP_SCHEME}://${DESKTOP_APP_HOST}`;
