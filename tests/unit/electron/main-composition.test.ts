import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc/channels.ts';
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
    shell: { openExternal: async () => h.calls.push('openExternal') },
  };
});

async function boot(gotLock = true) {
  vi.resetModules();
  Object.assign(h, { gotLock, calls: [], windows: [], schemes: [] });
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
});
