import { describe, expect, it } from 'vitest';
import { resolveAppOrigin } from '../../../electron/main/app-origin.ts';
import {
  createIpcDispatcher,
  type IpcHandlerTable,
} from '../../../electron/main/ipc/dispatcher.ts';
import { createSenderPolicy, type SenderFacts } from '../../../electron/main/ipc/sender-policy.ts';
import { CofferError } from '../../../shared/errors.ts';
import { DEFAULT_SETTINGS } from '../../../shared/ipc/settings.ts';
import { recordingLogger } from './fakes.ts';

const SECRET = 'SENTINEL-correct-horse-4b1d';
const OUR_WINDOW = 7;
const STORED = { settings: DEFAULT_SETTINGS, seal: null, damaged: false };

function setup(overrides: Partial<IpcHandlerTable> = {}) {
  const calls: Array<[string, unknown]> = [];
  const record =
    <T>(channel: string, value: T) =>
    async (request: unknown) => {
      calls.push([channel, request]);
      return value;
    };
  const handlers: IpcHandlerTable = {
    'clipboard:copy-secret': record('clipboard:copy-secret', { clearsInSeconds: 30 }),
    'clipboard:clear': record('clipboard:clear', { cleared: true }),
    'links:open': record('links:open', null),
    'signin:authenticate': record('signin:authenticate', { idToken: 'e30.e30.c2ln' }),
    'settings:get': record('settings:get', STORED),
    'settings:update': record('settings:update', STORED),
    ...overrides,
  };
  const log = recordingLogger();
  const origin = resolveAppOrigin({ isPackaged: true });
  const dispatcher = createIpcDispatcher({
    handlers,
    policy: createSenderPolicy({
      isAppUrl: origin.isAppUrl,
      isKnownWindow: (id) => id === OUR_WINDOW,
    }),
    log,
  });
  return { dispatcher, calls, log };
}

function sender(frame: Partial<NonNullable<SenderFacts['senderFrame']>> | null, id = OUR_WINDOW) {
  const senderFrame =
    frame === null
      ? null
      : { url: 'coffer-app://bundle/index.html', detached: false, parent: null, ...frame };
  return { sender: { id }, senderFrame } satisfies SenderFacts;
}

const topFrame = sender({});

describe('IPC dispatcher: sender checks (EL-06)', () => {
  it('serves the top frame of our own window on our own page', async () => {
    const { dispatcher, calls } = setup();
    const result = await dispatcher.dispatch('clipboard:copy-secret', topFrame, { text: SECRET });
    expect(result).toEqual({ ok: true, value: { clearsInSeconds: 30 } });
    expect(calls).toEqual([['clipboard:copy-secret', { text: SECRET }]]);
  });

  it.each([
    ['a subframe of our page', sender({ parent: {} })],
    ['a foreign origin in our window', sender({ url: 'https://evil.example.net/' })],
    ['a file: page', sender({ url: 'file:///tmp/evil.html' })],
    ['a window main did not create', sender({}, 99)],
    ['a frame already gone during unload', sender(null)],
    ['a detached frame', sender({ detached: true })],
  ])('refuses %s without calling the handler', async (_name, event) => {
    const { dispatcher, calls, log } = setup();
    const result = await dispatcher.dispatch('clipboard:copy-secret', event, { text: SECRET });
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc_sender_refused' } });
    expect(calls).toEqual([]);
    expect(log.lines.some((line) => line.includes('sender refused'))).toBe(true);
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });

  it('refuses an unknown channel', async () => {
    const { dispatcher, calls } = setup();
    for (const channel of ['shell:exec', 'clipboard:read', '__proto__', 'constructor']) {
      const result = await dispatcher.dispatch(channel, topFrame, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'ipc_unknown_channel' } });
    }
    expect(calls).toEqual([]);
  });
});

describe('IPC dispatcher: payload validation (EL-06)', () => {
  it.each([
    ['a wrong type', { text: 42 }],
    ['no payload', undefined],
    ['an extra key', { text: 'x', admin: true }],
    ['an own __proto__ key', JSON.parse('{"text":"x","__proto__":{"admin":true}}') as unknown],
    ['a 50 MB string', { text: 'a'.repeat(50 * 1024 * 1024) }],
  ])('refuses %s before the handler runs', async (_name, payload) => {
    const { dispatcher, calls, log } = setup();
    const result = await dispatcher.dispatch('clipboard:copy-secret', topFrame, payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(calls).toEqual([]);
    expect(log.lines.some((line) => line.includes('request refused'))).toBe(true);
  });

  it('names the failing field but never echoes the value', async () => {
    const { dispatcher, log } = setup();
    const result = await dispatcher.dispatch('settings:update', topFrame, {
      settings: { serverUrl: `javascript:${SECRET}` },
      seal: null,
      damaged: false,
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('serverUrl');
    expect(message).not.toContain(SECRET);
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });

  it("passes a handler's CofferError code through", async () => {
    const { dispatcher } = setup({
      'links:open': async () => {
        throw new CofferError('external_link_refused', 'The link was not opened.');
      },
    });
    const result = await dispatcher.dispatch('links:open', topFrame, {
      url: 'https://a.example/',
    });
    expect(result).toEqual({
      ok: false,
      error: { code: 'external_link_refused', message: 'The link was not opened.' },
    });
  });

  it('hides the message of an unexpected error, which may hold anything', async () => {
    const { dispatcher, log } = setup({
      'clipboard:copy-secret': async () => {
        throw new Error(`boom ${SECRET}`);
      },
    });
    const result = await dispatcher.dispatch('clipboard:copy-secret', topFrame, { text: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });

  it('refuses a handler result that breaks the contract', async () => {
    const { dispatcher } = setup({
      'settings:get': async () =>
        ({ ...STORED, settings: { ...DEFAULT_SETTINGS, theme: 'neon' } }) as never,
    });
    const result = await dispatcher.dispatch('settings:get', topFrame, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
  });
});
