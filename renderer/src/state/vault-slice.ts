import type { StateCreator } from 'zustand';
import type { VaultClient } from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import type { Mutators } from './mutators.ts';
import type { AppState, StoreDeps, VaultSlice } from './types.ts';

export const emptyVault = { folders: [], records: [], syncProgress: null };

/**
 * While a sync decrypts, the list is republished after the first batch (first rows paint at
 * once) and then at most this often: each publish copies the growing list and the list view
 * sorts it again (~0.1 s at 100,000 records), which the page's thread should not pay five times
 * a second while the workers fill the vault (issue #4). Progress is shown on every batch.
 */
const PUBLISH_EVERY_MS = 1000;

/** A fresh copy of what the client holds, so React sees a new reference after every change. */
function snapshot(client: VaultClient) {
  return { folders: client.data.folders.all(), records: [...client.data.records.values()] };
}

export function createVaultSlice(
  deps: StoreDeps,
): StateCreator<AppState, Mutators, [], VaultSlice> {
  return (set, get) => {
    function client(): VaultClient {
      const current = get().client;
      if (current === null || !current.isUnlocked) {
        throw new CofferError('vault_locked', 'The vault is locked; unlock it first.');
      }
      return current;
    }

    /** Runs a change and republishes the vault, whether the change succeeded or not. */
    async function change<T>(work: (c: VaultClient) => Promise<T>): Promise<T> {
      const c = client();
      try {
        return await work(c);
      } finally {
        if (c.isUnlocked) set(snapshot(c));
      }
    }

    return {
      ...emptyVault,

      refresh: async () => {
        const c = client();
        set({ syncProgress: { done: 0, total: 0 } });
        let published = -Infinity;
        try {
          await c.sync((progress) => {
            const now = performance.now();
            if (now - published < PUBLISH_EVERY_MS || !c.isUnlocked) {
              set({ syncProgress: progress });
              return;
            }
            published = now;
            set({ syncProgress: progress, ...snapshot(c) });
          });
        } finally {
          set({ syncProgress: null, ...(c.isUnlocked ? snapshot(c) : {}) });
        }
      },

      createFolder: (name, parentId) => change((c) => c.createFolder(name, parentId)),
      renameFolder: (id, name) => change((c) => c.updateFolder(id, { name })),
      deleteFolder: async (id) => {
        await change((c) => c.deleteFolder(id));
        const { selectedFolderId } = get();
        if (selectedFolderId !== null && !get().folders.some((f) => f.id === selectedFolderId)) {
          set({ selectedFolderId: null });
        }
      },
      createRecord: (folderId, input) =>
        change(async (c) => (await c.createRecord(folderId, input)).id),
      updateRecord: (id, input) => change(async (c) => void (await c.updateRecord(id, input))),
      moveRecord: (id, folderId) => change(async (c) => void (await c.moveRecord(id, folderId))),
      deleteRecord: async (id) => {
        await change((c) => c.deleteRecord(id));
        if (get().selectedRecordId === id) set({ selectedRecordId: null, paneMode: 'view' });
      },
      copySecret: (text) => deps.platform.copySecret(text, get().settings.clipboardClearSeconds),
    };
  };
}
