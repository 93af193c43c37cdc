import type { IpcMain } from 'electron';
import { IPC_CHANNELS } from '../../../shared/ipc/channels.ts';
import type { IpcDispatcher } from './dispatcher.ts';

/**
 * Registers one `ipcMain.handle` per contract channel, all through the same dispatcher, so no
 * handler can be added that skips the sender and payload checks.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatcher: IpcDispatcher,
): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      dispatcher.dispatch(channel, event, payload),
    );
  }
  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}
