import type { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc/channels.ts';

// The electron module is replaced: the runtime cannot be launched here.
const fake = vi.hoisted(() => {
  const exposed: Array<[string, unknown]> = [];
  const invoked: Array<[string, unknown]> = [];
  return { exposed, invoked };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const ipcRenderer = Object.assign(new Emitter(), {
    invoke: async (channel: string, payload: unknown) => {
      fake.invoked.push([channel, payload]);
      return { ok: true, value: null };
    },
    send: () => {
      throw new Error('the preload must not use send');
    },
  });
  return {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => fake.exposed.push([key, api]),
    },
    ipcRenderer,
  };
});

type Api = Record<string, unknown>;

async function loadPreload(): Promise<{ api: Api; ipc: EventEmitter }> {
  vi.resetModules();
  fake.exposed.length = 0;
  fake.invoked.length = 0;
  await import('../../../electron/preload/index.ts');
  const electron = (await import('electron')) as unknown as { ipcRenderer: EventEmitter };
  const [entry] = fake.exposed;
  return { api: entry?.[1] as Api, ipc: electron.ipcRenderer };
}

describe('preload bridge (EL-06)', () => {
  beforeEach(() => {
    fake.exposed.length = 0;
  });

  it('exposes one object, window.coffer, and nothing else', async () => {
    await loadPreload();
    expect(fake.exposed.map(([key]) => key)).toEqual(['coffer']);
  });

  it('is frozen all the way down and holds only functions from the contract', async () => {
    const { api } = await loadPreload();
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(
      ['clipboard', 'events', 'links', 'platform', 'settings', 'signin'].sort(),
    );
    expect(api['platform']).toBe('electron');
    const functions: string[] = [];
    for (const [area, value] of Object.entries(api)) {
      if (area === 'platform') continue;
      expect(Object.isFrozen(value)).toBe(true);
      for (const [name, fn] of Object.entries(value as Api)) {
        expect(typeof fn).toBe('function');
        functions.push(`${area}.${name}`);
      }
    }
    expect(functions.sort()).toEqual(
      [
        'clipboard.copySecret',
        'clipboard.clear',
        'links.open',
        'signin.authenticate',
        'settings.get',
        'settings.update',
        'events.onLockRequested',
      ].sort(),
    );
  });

  it('exposes no ipcRenderer, generic invoke or send, and no process', async () => {
    const { api } = await loadPreload();
    const text = JSON.stringify(Object.keys(api)) + JSON.stringify(api);
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'process', 'env', 'require']) {
      expect(text).not.toContain(forbidden);
    }
  });

  it('sends each function to its one channel with the request as given', async () => {
    const { api } = await loadPreload();
    const clipboard = api['clipboard'] as Record<string, (r: unknown) => Promise<unknown>>;
    const links = api['links'] as Record<string, (r: unknown) => Promise<unknown>>;
    await clipboard['copySecret']?.({ text: 'x' });
    await links['open']?.({ url: 'https://a.example/' });
    expect(fake.invoked).toEqual([
      ['clipboard:copy-secret', { text: 'x' }],
      ['links:open', { url: 'https://a.example/' }],
    ]);
    expect(IPC_CHANNELS).toContain('clipboard:copy-secret');
  });

  it('delivers lock events as bare payloads and unsubscribes', async () => {
    const { api, ipc } = await loadPreload();
    const events = api['events'] as Record<string, (l: (p: unknown) => void) => () => void>;
    const received: unknown[][] = [];
    const stop = events['onLockRequested']?.((...args: unknown[]) => received.push(args));
    ipc.emit('lock:requested', { sender: ipc }, { reason: 'suspend' });
    stop?.();
    ipc.emit('lock:requested', { sender: ipc }, { reason: 'idle' });
    expect(received).toEqual([[{ reason: 'suspend' }]]);
  });
});
