import { describe, expect, it } from 'vitest';
import { registerIpcHandlers } from '../../../electron/main/ipc/register.ts';
import type { IpcDispatcher } from '../../../electron/main/ipc/dispatcher.ts';
import { IPC_CHANNELS } from '../../../shared/ipc/channels.ts';

describe('IPC registration', () => {
  it('registers exactly the contract channels, each through the dispatcher', async () => {
    const registered = new Map<string, (event: unknown, payload: unknown) => unknown>();
    const seen: unknown[] = [];
    const dispatcher: IpcDispatcher = {
      dispatch: async (channel, event, payload) => {
        seen.push([channel, event, payload]);
        return { ok: true, value: null };
      },
    };
    const fakeIpcMain = {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => unknown) =>
        registered.set(channel, handler),
      removeHandler: (channel: string) => registered.delete(channel),
    };
    const unregister = registerIpcHandlers(fakeIpcMain as never, dispatcher);
    expect([...registered.keys()].sort()).toEqual([...IPC_CHANNELS].sort());

    const event = { sender: { id: 1 }, senderFrame: null };
    await registered.get('links:open')?.(event, { url: 'https://a.example/' });
    expect(seen).toEqual([['links:open', event, { url: 'https://a.example/' }]]);

    unregister();
    expect(registered.size).toBe(0);
  });
});
