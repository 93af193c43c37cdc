import type { IpcRenderer } from 'electron';
import {
  bridgeListenerOf,
  bridgeMethodOf,
  IPC_CHANNELS,
  IPC_EVENTS,
} from '../../shared/ipc/channels.ts';
import type { CofferBridge } from '../../shared/ipc/bridge.ts';
import { CofferError } from '../../shared/errors.ts';

/**
 * Builds the object the page sees as `window.coffer` from the contract's channel list: one frozen
 * function per channel, each bound to its one channel name, and one subscription per event whose
 * listener receives only the payload (never the IpcRendererEvent, which would hand the page
 * `sender`, i.e. ipcRenderer). Nothing else: no generic invoke, no process, no require.
 */
export function buildBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>) {
  const areas: Record<string, Record<string, unknown>> = {};
  for (const channel of IPC_CHANNELS) {
    const [area, method] = bridgeMethodOf(channel);
    const functions = (areas[area] ??= {});
    functions[method] = (request: unknown) => ipc.invoke(channel, request);
  }
  const events: Record<string, unknown> = {};
  for (const event of IPC_EVENTS) {
    events[bridgeListenerOf(event)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') {
        throw new CofferError('invalid_input', 'An event listener must be a function.');
      }
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(event, forward);
      return () => {
        ipc.removeListener(event, forward);
      };
    };
  }
  const bridge: Record<string, unknown> = { platform: 'electron', events: Object.freeze(events) };
  for (const [area, functions] of Object.entries(areas)) bridge[area] = Object.freeze(functions);
  return Object.freeze(bridge) as unknown as CofferBridge;
}
