import type { SecretClipboard } from '../secret-clipboard.ts';
import type { ExternalLinkGate } from '../external-links.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { SignInRequest, SignInResult } from '../signin/system-browser-signin.ts';
import type { IpcHandlerTable } from './dispatcher.ts';

/** The services behind the IPC channels: each handler is one line into one of them. */
export interface MainServices {
  readonly clipboard: SecretClipboard;
  readonly gate: ExternalLinkGate;
  readonly signIn: { authenticate(request: SignInRequest): Promise<SignInResult> };
  readonly settings: SettingsStore;
}

export function createHandlerTable(services: MainServices): IpcHandlerTable {
  return {
    'clipboard:copy-secret': ({ text }) => services.clipboard.copySecret(text),
    'clipboard:clear': async () => ({ cleared: await services.clipboard.clearIfOurs() }),
    // Only the record pane's "Open" sends this, after the user confirmed the full URL.
    'links:open': async ({ url }) => {
      await services.gate.open(url, { confirmedRecordLink: true });
      return null;
    },
    'signin:authenticate': (request) => services.signIn.authenticate(request),
    'settings:get': async () => services.settings.stored(),
    'settings:update': ({ settings, seal, damaged }) =>
      services.settings.update(settings, seal, damaged),
  };
}
