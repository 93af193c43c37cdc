import type { StateCreator } from 'zustand';
import {
  AppsClient,
  AuditClient,
  type AddDevicesOptions,
  type ApplicationView,
  type DeviceView,
  type IssuedToken,
} from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import type { GrantMode } from '../../../shared/protocol/device-api.ts';
import type { Mutators } from './mutators.ts';
import type { AppState } from './types.ts';

/** The unlocked app's main areas (issue #4): the vault, applications, and the audit log. */
export type MainView = 'vault' | 'apps' | 'audit';

export interface AdminSlice {
  view: MainView;
  applications: ApplicationView[];
  /** Each application's devices, by application id. */
  devices: Record<string, DeviceView[]>;
  appsLoaded: boolean;
  selectedAppId: string | null;
  /**
   * One-time tokens just issued, shown once by the "Add device" dialog. Dropped when it closes
   * and on lock; never persisted (only `settings` is).
   */
  issuedTokens: IssuedToken[] | null;
  setView(view: MainView): void;
  selectApp(id: string | null): void;
  loadApps(): Promise<void>;
  createApp(name: string): Promise<string>;
  setAppDisabled(id: string, disabled: boolean): Promise<void>;
  deleteApp(id: string): Promise<void>;
  grantFolder(appId: string, folderId: string, mode: GrantMode): Promise<void>;
  changeGrantMode(appId: string, folderId: string, mode: GrantMode): Promise<void>;
  removeGrant(appId: string, folderId: string): Promise<void>;
  addDevices(appId: string, options: Omit<AddDevicesOptions, 'nowSeconds'>): Promise<void>;
  discardIssuedTokens(): void;
  revokeDevice(appId: string, deviceId: string): Promise<void>;
  auditClient(): AuditClient;
}

export const emptyAdmin = {
  view: 'vault' as const,
  applications: [],
  devices: {},
  appsLoaded: false,
  selectedAppId: null,
  issuedTokens: null,
};

export const createAdminSlice: StateCreator<AppState, Mutators, [], AdminSlice> = (
  set,
  get,
  api,
) => {
  // Leaving the unlocked vault (lock, sign-out, another server) drops everything here, the
  // issued tokens above all, whichever path got there.
  api.subscribe((state, previous) => {
    if (previous.phase === 'vault' && state.phase !== 'vault') set({ ...emptyAdmin });
  });

  function unlockedClient() {
    const client = get().client;
    if (client === null || !client.isUnlocked) {
      throw new CofferError('vault_locked', 'The vault is locked; unlock it first.');
    }
    return client;
  }

  function apps(): AppsClient {
    const client = unlockedClient();
    return new AppsClient(client.session.api, () => client.unlockedVault());
  }

  function application(id: string): ApplicationView {
    const found = get().applications.find((a) => a.id === id);
    if (found === undefined) throw new CofferError('not_found', 'Application not found.');
    return found;
  }

  function replace(app: ApplicationView) {
    set((state) => ({
      applications: state.applications.map((a) => (a.id === app.id ? app : a)),
    }));
  }

  async function reloadDevices(appId: string) {
    const list = await apps().listDevices(appId);
    set((state) => ({ devices: { ...state.devices, [appId]: list } }));
  }

  return {
    ...emptyAdmin,

    setView: (view) => set({ view }),
    selectApp: (selectedAppId) => set({ selectedAppId }),

    loadApps: async () => {
      const client = apps();
      const applications = await client.list();
      const lists = await Promise.all(applications.map((a) => client.listDevices(a.id)));
      const devices = Object.fromEntries(applications.map((a, i) => [a.id, lists[i] ?? []]));
      const selected = get().selectedAppId;
      set({
        applications,
        devices,
        appsLoaded: true,
        selectedAppId: applications.some((a) => a.id === selected)
          ? selected
          : (applications[0]?.id ?? null),
      });
    },

    createApp: async (name) => {
      const created = await apps().create(name);
      set((state) => ({
        applications: [...state.applications, created],
        devices: { ...state.devices, [created.id]: [] },
        selectedAppId: created.id,
      }));
      return created.id;
    },

    setAppDisabled: async (id, disabled) => replace(await apps().setDisabled(id, disabled)),

    deleteApp: async (id) => {
      await apps().delete(id);
      set((state) => {
        const applications = state.applications.filter((a) => a.id !== id);
        const devices = { ...state.devices };
        delete devices[id];
        return { applications, devices, selectedAppId: applications[0]?.id ?? null };
      });
    },

    grantFolder: async (appId, folderId, mode) =>
      replace(await apps().grant(application(appId), folderId, mode)),

    changeGrantMode: async (appId, folderId, mode) =>
      replace(await apps().changeGrantMode(appId, folderId, mode)),

    removeGrant: async (appId, folderId) => {
      const client = apps();
      await client.removeGrant(appId, folderId);
      replace(await client.get(appId));
    },

    addDevices: async (appId, options) => {
      const issued = await apps().addDevices(application(appId), {
        ...options,
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      set({ issuedTokens: issued });
      await reloadDevices(appId);
    },

    discardIssuedTokens: () => set({ issuedTokens: null }),

    revokeDevice: async (appId, deviceId) => {
      const revoked = await apps().revokeDevice(appId, deviceId);
      set((state) => ({
        devices: {
          ...state.devices,
          [appId]: (state.devices[appId] ?? []).map((d) => (d.id === deviceId ? revoked : d)),
        },
      }));
    },

    auditClient: () => new AuditClient(unlockedClient().session.api),
  };
};
