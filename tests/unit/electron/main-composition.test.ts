import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { startDevIdentityProvider } from '../../../server/devidp/provider.ts';
import { IPC_CHANNELS } from '../../../shared/ipc/channels.ts';
import { isPerAttemptLoopbackRedirect } from '../../../shared/protocol/identity-provider.ts';
import { signInAtDevProvider } from '../../integration/server/support/browser.ts';
import { fakeEvent } from './fakes.ts';

/**
 * index.ts wired against a fake `electron` module: the runtime cannot be launched here, so this
 * checks that the composition applies every guard, not just that each guard works alone.
 */
const h = vi.hoisted(() => {
  const state = {
    gotLock: true,
    calls: [] as string[],
    windows: [] as Array<{
      options: { webPreferences: Record<string, unknown> };
      loaded?: string;
      webContents: { id: number; sent: unknown[][] };
    }>,
    handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    permissionRequest: undefined as
      undefined | ((c: unknown, p: string, cb: (granted: boolean) => void) => void),
    app: undefined as unknown,
    powerMonitor: undefined as unknown,
    schemes: [] as unknown[],
    /** What main asked of the network through Electron's `net.fetch`. */
    netFetches: [] as string[],
    /** The "system browser" behind `shell.openExternal`. */
    browse: undefined as undefined | ((url: string) => Promise<void>),
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    enableSandbox: () => h.calls.push('enableSandbox'),
    requestSingleInstanceLock: () => h.gotLock,
    quit: () => h.calls.push('quit'),
    whenReady: () => Promise.resolve(),
    getPath: () => tmpdir(),
  });
  h.app = app;
  const powerMonitor = Object.assign(new Emitter(), { getSystemIdleTime: () => 0 });
  h.powerMonitor = powerMonitor;
  let nextId = 1;
  class BrowserWindow extends Emitter {
    webContents: EventEmitter & { id: number; sent: unknown[][] };
    loaded?: string;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      const sent: unknown[][] = [];
      this.webContents = Object.assign(new Emitter(), {
        id: nextId++,
        sent,
        send: (...args: unknown[]) => sent.push(args),
        isDestroyed: () => false,
        setWindowOpenHandler: () => undefined,
      });
      h.windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
  }
  return {
    app,
    BrowserWindow,
    powerMonitor,
    clipboard: { write: async () => {}, readText: async () => '', clear: () => {} },
    ClipboardItem: class {},
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
        h.handlers.set(channel, fn),
      removeHandler: (channel: string) => h.handlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => h.schemes.push(...schemes),
      handle: (scheme: string) => h.calls.push(`protocol.handle:${scheme}`),
    },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => false,
      encryptStringAsync: async () => Buffer.alloc(0),
      decryptStringAsync: async () => ({ result: '', shouldReEncrypt: false }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof h.permissionRequest) => (h.permissionRequest = fn),
        setPermissionCheckHandler: () => h.calls.push('permissionCheck'),
        setDevicePermissionHandler: () => h.calls.push('devicePermission'),
        setDisplayMediaRequestHandler: () => h.calls.push('displayMedia'),
        webRequest: { onHeadersReceived: () => h.calls.push('onHeadersReceived') },
      },
    },
    net: {
      fetch: (input: string, init: RequestInit) => {
        h.netFetches.push(`${init.method ?? 'GET'} ${input}`);
        return fetch(input, init);
      },
    },
    shell: {
      openExternal: async (url: string) => {
        h.calls.push('openExternal');
        // The real browser runs on its own; main waits on its loopback listener.
        void h.browse?.(url).catch(() => undefined);
      },
    },
  };
});

async function boot(gotLock = true) {
  vi.resetModules();
  Object.assign(h, { gotLock, calls: [], windows: [], schemes: [], netFetches: [] });
  h.handlers.clear();
  h.permissionRequest = undefined;
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await import('../../../electron/main/index.ts');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('main process composition', () => {
  it('a second instance quits without creating a window', async () => {
    await boot(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.calls).toContain('quit');
    expect(h.windows).toEqual([]);
  });

  it('sandboxes everything and registers the app scheme before ready', async () => {
    await boot();
    expect(h.calls[0]).toBe('enableSandbox');
    expect(h.schemes).toEqual([
      {
        scheme: 'coffer-app',
        privileges: { standard: true, secure: true, supportFetchAPI: true },
      },
    ]);
  });

  it('creates one secure window on the app page, with permissions denied and CSP set', async () => {
    await boot();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    const [window] = h.windows;
    expect(window?.loaded).toBe('coffer-app://bundle/index.html');
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(String(window?.options.webPreferences['preload'])).toMatch(/preload[\\/]index\.cjs$/);
    expect(h.calls).toEqual(
      expect.arrayContaining([
        'protocol.handle:coffer-app',
        'onHeadersReceived',
        'permissionCheck',
        'devicePermission',
        'displayMedia',
      ]),
    );
    const answers: boolean[] = [];
    h.permissionRequest?.({}, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
  });

  it('registers every contract channel and serves only the window it created', async () => {
    await boot();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    expect([...h.handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    const id = h.windows[0]?.webContents.id ?? -1;
    const frame = { url: 'coffer-app://bundle/index.html', detached: false, parent: null };
    const get = h.handlers.get('settings:get');
    await expect(get?.({ sender: { id }, senderFrame: frame }, {})).resolves.toMatchObject({
      ok: true,
    });
    await expect(
      get?.({ sender: { id }, senderFrame: { ...frame, parent: {} } }, {}),
    ).resolves.toMatchObject({ ok: false, error: { code: 'ipc_sender_refused' } });
    await expect(
      get?.({ sender: { id: id + 100 }, senderFrame: frame }, {}),
    ).resolves.toMatchObject({ ok: false, error: { code: 'ipc_sender_refused' } });
  });

  it('offers the server npm start names, when it is a server origin', async () => {
    const served = async () => {
      await boot();
      await vi.waitFor(() => expect(h.windows).toHaveLength(1));
      const id = h.windows[0]?.webContents.id ?? -1;
      const frame = { url: 'coffer-app://bundle/index.html', detached: false, parent: null };
      const answer = await h.handlers.get('settings:get')?.(
        { sender: { id }, senderFrame: frame },
        {},
      );
      return /"serverUrl":"([^"]*)"/.exec(JSON.stringify(answer))?.[1];
    };
    vi.stubEnv('COFFER_SERVER_URL', 'http://127.0.0.1:9911');
    expect(await served()).toBe('http://127.0.0.1:9911');
    vi.stubEnv('COFFER_SERVER_URL', 'http://vault.example.com');
    expect(await served()).toBe('http://127.0.0.1:8787');
  });

  it('guards every web contents created later', async () => {
    await boot();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => undefined });
    (h.app as EventEmitter).emit('web-contents-created', {}, contents);
    const navigation = fakeEvent({ url: 'https://evil.example.net/', isMainFrame: true });
    contents.emit('will-navigate', navigation);
    const webview = fakeEvent({});
    contents.emit('will-attach-webview', webview, {}, {});
    expect(navigation.prevented).toBe(true);
    expect(webview.prevented).toBe(true);
  });

  it('tells the window to lock when the machine suspends', async () => {
    await boot();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    (h.powerMonitor as EventEmitter).emit('suspend');
    expect(h.windows[0]?.webContents.sent).toEqual([['lock:requested', { reason: 'suspend' }]]);
  });

  it('signs in at the development provider with main making every provider request', async () => {
    const quiet = { warn: () => undefined } as unknown as FastifyBaseLogger;
    const idp = await startDevIdentityProvider({
      port: 0,
      demoEmail: 'alice@example.com',
      demoPassword: undefined,
      webOrigin: 'http://127.0.0.1:1',
      log: quiet,
    });
    const redirects: string[] = [];
    try {
      h.browse = async (url) => {
        const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
        redirects.push(redirectUri);
        const landed = await signInAtDevProvider(url, redirectUri, idp.demo);
        await fetch(landed.url);
      };
      await boot();
      await vi.waitFor(() => expect(h.windows).toHaveLength(1));
      const id = h.windows[0]?.webContents.id ?? -1;
      const frame = { url: 'coffer-app://bundle/index.html', detached: false, parent: null };
      const nonce = 'bm9uY2UtZnJvbS10aGUtY29mZmVyLXNlcnZlcg';
      const answer = await h.handlers.get('signin:authenticate')?.(
        { sender: { id }, senderFrame: frame },
        {
          issuer: idp.issuer,
          pkce: 'advertised',
          clientId: 'coffer-desktop',
          nonce,
          desktopRedirect: 'per-attempt-path',
        },
      );

      expect(answer).toEqual({ ok: true, value: { idToken: expect.any(String) } });
      const token = (answer as { value: { idToken: string } }).value.idToken;
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
      expect(claims).toMatchObject({ iss: idp.issuer, aud: 'coffer-desktop', nonce });
      expect(h.netFetches).toEqual([
        `GET ${idp.issuer}/.well-known/openid-configuration`,
        `POST ${idp.issuer}/token`,
      ]);
      expect(redirects).toHaveLength(1);
      expect(isPerAttemptLoopbackRedirect(redirects[0] ?? '')).toBe(true);
    } finally {
      h.browse = undefined;
      await idp.close();
    }
  });

  it('reports the sign-in request that breaks the contract without running it', async () => {
    await boot();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    const id = h.windows[0]?.webContents.id ?? -1;
    const frame = { url: 'coffer-app://bundle/index.html', detached: false, parent: null };
    const answer = await h.handlers.get('signin:authenticate')?.(
      { sender: { id }, senderFrame: frame },
      { issuer: 'https://id.example.com', pkce: 'plain', clientId: 'x', nonce: 'n' },
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(h.netFetches).toEqual([]);
  });
});
