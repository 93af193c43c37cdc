import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import {
  app,
  clipboard,
  ClipboardItem,
  ipcMain,
  net,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import type { LockReason } from '../../shared/ipc/contract.ts';
import { DEFAULT_SETTINGS } from '../../shared/ipc/settings.ts';
import { resolveAppOrigin } from './app-origin.ts';
import { APP_SCHEME_PRIVILEGES, serveAppBundle } from './app-protocol.ts';
import { buildContentSecurityPolicy } from './csp.ts';
import { installCspHeader } from './csp-header.ts';
import { defaultServerUrl } from './default-server.ts';
import { createExternalLinkGate } from './external-links.ts';
import { createIpcDispatcher } from './ipc/dispatcher.ts';
import { sendEvent } from './ipc/events.ts';
import { createHandlerTable } from './ipc/handlers.ts';
import { registerIpcHandlers } from './ipc/register.ts';
import { createSenderPolicy } from './ipc/sender-policy.ts';
import { allowedLinkHosts } from './link-allowlist.ts';
import { installLockShortcut, startLockMonitor } from './lock-monitor.ts';
import { createLogger } from './logger.ts';
import { guardWebContents } from './navigation-guard.ts';
import { denyAllPermissions } from './permissions.ts';
import { createSecretClipboard } from './secret-clipboard.ts';
import { openSettingsStore } from './settings-store.ts';
import { createSystemBrowserSignIn } from './signin/system-browser-signin.ts';
import { enforceSingleInstance, focusWindow } from './single-instance.ts';
import { createMainWindow } from './window.ts';

// Composition only: each service lives in its own module and is wired here.

const log = createLogger('main');
let mainWindow: BrowserWindow | undefined;

// Both must happen before `ready`: sandbox every renderer, whatever its creator asked for, and
// give the app scheme its privileges.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

async function start(): Promise<void> {
  const origin = resolveAppOrigin({
    isPackaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  });
  const settings = await openSettingsStore({
    file: join(app.getPath('userData'), 'settings.bin'),
    keychain: safeStorage,
    log: createLogger('settings'),
    // Until the user has chosen a server: the one `npm start` started, if it says so.
    defaults: { ...DEFAULT_SETTINGS, serverUrl: defaultServerUrl(process.env, log) },
  });
  // The page talks to the Coffer server only: the identity provider's discovery document and
  // token endpoint are fetched by main's sign-in (signin/system-browser-signin.ts).
  const csp = () => buildContentSecurityPolicy({ connectOrigins: [settings.current().serverUrl] });

  const defaultSession = session.defaultSession;
  denyAllPermissions(defaultSession, createLogger('permissions'));
  installCspHeader(defaultSession.webRequest, origin.isAppUrl, csp);
  serveAppBundle(protocol, join(__dirname, '../renderer'), csp);

  const gate = createExternalLinkGate({
    allowedHosts: () => allowedLinkHosts(settings.current()),
    openExternal: (url) => shell.openExternal(url),
    log: createLogger('links'),
  });
  const secretClipboard = createSecretClipboard({
    clipboard,
    ClipboardItem,
    platform: process.platform,
    clearAfterSeconds: () => settings.current().clipboardClearSeconds,
    log: createLogger('clipboard'),
  });

  const requestLock = (reason: LockReason) => {
    if (mainWindow !== undefined) sendEvent(mainWindow.webContents, 'lock:requested', { reason });
    secretClipboard.clearIfOurs().catch(() => log.warn('clipboard clear on lock failed'));
  };

  const navigationLog = createLogger('navigation');
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { isAppUrl: origin.isAppUrl, gate, log: navigationLog });
    installLockShortcut(contents, process.platform, requestLock);
  });

  const knownWindows = new Set<number>();
  const dispatcher = createIpcDispatcher({
    handlers: createHandlerTable({
      clipboard: secretClipboard,
      gate,
      signIn: createSystemBrowserSignIn({
        gate,
        log: createLogger('signin'),
        // Chromium's network stack, as the page's requests would have used: the system proxy
        // and certificate store apply, which a corporate identity provider often needs.
        fetch: (input, init) => net.fetch(input, init),
      }),
      settings,
    }),
    policy: createSenderPolicy({
      isAppUrl: origin.isAppUrl,
      isKnownWindow: (id) => knownWindows.has(id),
    }),
    log: createLogger('ipc'),
  });
  registerIpcHandlers(ipcMain, dispatcher);

  startLockMonitor({
    powerMonitor,
    idleMinutes: () => settings.current().autoLockMinutes,
    onLock: requestLock,
    log: createLogger('lock'),
  });

  let clipboardSettled = false;
  app.on('before-quit', (event) => {
    if (clipboardSettled) return;
    event.preventDefault();
    clipboardSettled = true;
    secretClipboard
      .clearIfOurs()
      .catch(() => log.warn('clipboard clear on quit failed'))
      .finally(() => app.quit());
  });

  const window = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    entryUrl: origin.entryUrl,
  });
  const contentsId = window.webContents.id;
  knownWindows.add(contentsId);
  window.on('closed', () => {
    knownWindows.delete(contentsId);
    mainWindow = undefined;
  });
  mainWindow = window;
}

if (enforceSingleInstance(app, () => focusWindow(mainWindow))) {
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.warn('startup failed', { type: error instanceof Error ? error.name : 'value' });
      app.quit();
    });
}
