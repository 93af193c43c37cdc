import type { IpcChannel } from '../../../shared/ipc/channels.ts';
import { isIpcChannel } from '../../../shared/ipc/channels.ts';
import { IPC_CONTRACT } from '../../../shared/ipc/contract.ts';
import type { IpcRequest, IpcResponse } from '../../../shared/ipc/contract.ts';
import { ipcFail, ipcOk, type IpcResult } from '../../../shared/ipc/envelope.ts';
import { isCofferError } from '../../../shared/errors.ts';
import type { Logger } from '../logger.ts';
import type { SenderFacts, SenderPolicy } from './sender-policy.ts';

/** One handler per contract channel; the type makes a missing or misspelt entry a compile error. */
export type IpcHandlerTable = {
  readonly [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>>;
};

export interface IpcDispatcher {
  dispatch(channel: string, event: SenderFacts, payload: unknown): Promise<IpcResult<unknown>>;
}

/** Names the first failing field and rule, never the value (it may be a secret). */
function describeIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; code: string }> }) {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request';
  const path = issue.path.map(String).join('.') || 'request';
  return `invalid request: ${path} (${issue.code})`;
}

/**
 * The single path every IPC request takes: known channel, trusted sender, schema-valid payload,
 * then the handler; its result is checked against the contract too. Refusals are logged with the
 * channel and reason only — never the payload — and answered with an error envelope.
 */
export function createIpcDispatcher(options: {
  readonly handlers: IpcHandlerTable;
  readonly policy: SenderPolicy;
  readonly log: Logger;
}): IpcDispatcher {
  const { handlers, policy, log } = options;

  async function run<C extends IpcChannel>(channel: C, payload: unknown) {
    const contract = IPC_CONTRACT[channel];
    const parsed = contract.request.safeParse(payload);
    if (!parsed.success) {
      const message = describeIssue(parsed.error);
      log.warn('request refused', { channel, reason: message });
      return ipcFail('invalid_input', `${channel}: ${message}.`);
    }
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    const checked = contract.result.safeParse(value);
    if (!checked.success) {
      log.warn('handler result broke the contract', { channel });
      return ipcFail('internal_error', `${channel}: the result did not match the contract.`);
    }
    return ipcOk(checked.data);
  }

  return {
    async dispatch(channel, event, payload) {
      if (!isIpcChannel(channel)) {
        log.warn('unknown channel refused', { length: String(channel).length });
        return ipcFail('ipc_unknown_channel', 'That IPC channel does not exist.');
      }
      const refusal = policy.refusalReason(event);
      if (refusal !== undefined) {
        log.warn('sender refused', { channel, reason: refusal });
        return ipcFail('ipc_sender_refused', `${channel} is served only to the app's own window.`);
      }
      try {
        return await run(channel, payload);
      } catch (error) {
        if (isCofferError(error)) {
          log.warn('handler failed', { channel, code: error.code });
          return ipcFail(error.code, error.message);
        }
        // Unexpected errors may carry anything in their message, so only their type is logged.
        log.warn('handler threw', { channel, type: error instanceof Error ? error.name : 'value' });
        return ipcFail('internal_error', `${channel} failed unexpectedly.`);
      }
    },
  };
}
