import type { AreaOf, IpcChannel, IpcEvent, ListenerNameOf, MethodOf } from './channels.ts';
import type { IpcEventPayload, IpcRequest, IpcResponse } from './contract.ts';
import type { IpcResult } from './envelope.ts';

type AreaApi<A extends string> = {
  readonly [C in IpcChannel as AreaOf<C> extends A ? MethodOf<C> : never]: (
    request: IpcRequest<C>,
  ) => Promise<IpcResult<IpcResponse<C>>>;
};

type EventApi = {
  readonly [E in IpcEvent as ListenerNameOf<E>]: (
    listener: (payload: IpcEventPayload<E>) => void,
  ) => () => void;
};

/**
 * What the preload exposes to the page as `window.coffer`: one named, typed function per contract
 * channel grouped by area (`coffer.clipboard.copySecret(…)`), one subscription per event, and
 * nothing else — no generic send or invoke, no ipcRenderer, no process (EL-06).
 */
export type CofferBridge = { readonly platform: 'electron'; readonly events: EventApi } & {
  readonly [A in AreaOf<IpcChannel>]: AreaApi<A>;
};
