import type { WebContents } from 'electron';
import type { IpcEvent } from '../../../shared/ipc/channels.ts';
import { IPC_EVENT_CONTRACT, type IpcEventPayload } from '../../../shared/ipc/contract.ts';

/** Sends a contract event to a renderer, checked against its schema like every request. */
export function sendEvent<E extends IpcEvent>(
  contents: Pick<WebContents, 'send' | 'isDestroyed'>,
  event: E,
  payload: IpcEventPayload<E>,
): void {
  if (contents.isDestroyed()) return;
  contents.send(event, IPC_EVENT_CONTRACT[event].parse(payload));
}
