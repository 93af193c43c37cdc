import type { StateCreator } from 'zustand';
import {
  chooseClientId,
  exchangeCode,
  readRedirect,
  type VaultClient,
} from '../../../shared/client/index.ts';
import { CofferError, isCofferError } from '../../../shared/errors.ts';
import { parseServerUrl } from '../settings/server-url.ts';
import type { Mutators } from './mutators.ts';
import type { AppState, SessionSlice, StoreDeps } from './types.ts';
import { emptyUi } from './ui-slice.ts';
import { emptyVault } from './vault-slice.ts';

export const emptySession = {
  phase: 'server' as const,
  providers: [],
  user: null,
  client: null,
  busy: null,
  notice: null,
};

export function noticeOf(error: unknown): { code: string; message: string } {
  if (isCofferError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: 'Something went wrong; try again.' };
}

export function createSessionSlice(
  deps: StoreDeps,
): StateCreator<AppState, Mutators, [], SessionSlice> {
  return (set, get) => {
    /** Runs long work with a progress message; failures become the notice and are rethrown. */
    async function busy<T>(message: string, work: () => Promise<T>): Promise<T> {
      set({ busy: message, notice: null });
      try {
        return await work();
      } finally {
        set({ busy: null });
      }
    }

    function requireClient(): VaultClient {
      const client = get().client;
      if (client === null) throw new CofferError('unauthenticated', 'Choose a server and sign in.');
      return client;
    }

    async function completeSignIn(client: VaultClient, idToken: string) {
      const user = await client.session.signIn(idToken);
      set({ user, phase: user.hasAccountKeys ? 'unlock' : 'create-password' });
    }

    async function connect(serverUrl: string): Promise<VaultClient> {
      const client = deps.createClient(serverUrl);
      const providers = await client.session.providers();
      set({ client, providers, serverUrl });
      return client;
    }

    return {
      ...emptySession,
      serverUrl: null,

      start: async () => {
        const returned = deps.platform.takeReturnedSignIn();
        if (returned !== null) {
          await get().finishReturnedSignIn(returned);
          return;
        }
        if (get().serverUrl !== null) {
          // The stored server, not one the user typed: it is not marked as chosen here.
          const stored = get().settings.serverUrl;
          await busy('Connecting to the server…', () => connect(stored))
            .then(() => set({ phase: 'signin' }))
            .catch(() => set({ phase: 'server' }));
        }
      },

      chooseServer: async (url) => {
        const serverUrl = parseServerUrl(url);
        await busy('Connecting to the server…', () => connect(serverUrl));
        get().updateSettings({ serverUrl });
        set({ phase: 'signin', serverChosenHere: serverUrl });
      },

      changeServer: () => {
        get().client?.lock();
        set({ ...emptySession, ...emptyVault, ...emptyUi, serverUrl: null });
      },

      switchServer: async (url) => {
        const serverUrl = parseServerUrl(url);
        const current = requireClient();
        if (!current.isUnlocked) {
          throw new CofferError('vault_locked', 'Unlock the vault to change the server.');
        }
        if (serverUrl === get().settings.serverUrl) {
          throw new CofferError('invalid_input', 'That is the server in use already.');
        }
        if (deps.platform.kind === 'electron') {
          // Saved and signed while the vault is open: main builds the next page's policy from
          // it, and the next start connects to it. The web build's settings belong to its own
          // server's origin and keep that server.
          get().updateSettings({ serverUrl });
          await get().keepSettings();
        }
        await get().signOut();
        deps.platform.openServer(serverUrl);
      },

      reauthenticate: async (password) => {
        await requireClient().confirmMasterPassword(password);
      },

      changeMasterPassword: async (currentPassword, newPassword) => {
        await requireClient().changeMasterPassword(currentPassword, newPassword);
      },

      startSignIn: async (issuer) => {
        const state = get();
        const client = requireClient();
        const provider = state.providers.find((p) => p.issuer === issuer);
        if (provider === undefined) {
          throw new CofferError('config_invalid', 'This server does not offer that provider.');
        }
        await busy('Waiting for the identity provider…', async () => {
          const idToken = await deps.platform.signInWithProvider({
            serverUrl: client.session.api.baseUrl,
            issuer: provider.issuer,
            pkce: provider.pkce,
            clientId: chooseClientId(provider.clientIds, deps.platform.clientKind),
            nonce: await client.session.loginNonce(),
            desktopRedirect: provider.desktopRedirect,
          });
          set({ phase: 'completing' });
          await completeSignIn(client, idToken);
        }).catch((error: unknown) => {
          set({ phase: 'signin', notice: noticeOf(error) });
          throw error;
        });
      },

      finishReturnedSignIn: async (returned) => {
        set({ phase: 'completing' });
        try {
          if (returned.attempt === null || returned.serverUrl === null) {
            throw new CofferError(
              'signin_state_mismatch',
              'This sign-in response does not belong to a sign-in started here; start again.',
            );
          }
          const { attempt, serverUrl, params } = returned;
          await busy('Finishing sign-in…', async () => {
            const code = readRedirect(attempt, params);
            const client = await connect(serverUrl);
            get().updateSettings({ serverUrl });
            await completeSignIn(client, await exchangeCode(attempt, code));
          });
        } catch (error) {
          set({ notice: noticeOf(error), phase: get().client === null ? 'server' : 'signin' });
        }
      },

      createMasterPassword: async (password) => {
        const client = requireClient();
        await busy('Creating your vault keys…', () => client.enrol(password));
        await get().verifySettings();
        set({ phase: 'vault', user: client.session.user });
        await get().refresh();
      },

      unlock: async (password) => {
        const client = requireClient();
        await busy('Unlocking…', () => client.unlock(password));
        // Before the vault shows, so no tampered auto-lock or clipboard time is ever in force.
        await get().verifySettings();
        set({ phase: 'vault' });
        await get().refresh();
      },

      lock: () => {
        const { client, phase } = get();
        client?.lock();
        void deps.platform.clearClipboard().catch(() => undefined);
        const signedIn = client?.session.user != null;
        set({
          ...emptyVault,
          ...emptyUi,
          busy: null,
          phase: phase === 'vault' || phase === 'unlock' ? 'unlock' : signedIn ? phase : 'signin',
        });
      },

      signOut: async () => {
        const client = get().client;
        get().lock();
        await client?.signOut().catch(() => undefined);
        set({ user: null, phase: 'signin' });
      },

      dismissNotice: () => set({ notice: null }),
    };
  };
}
