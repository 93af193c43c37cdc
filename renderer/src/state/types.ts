import type {
  FolderNode,
  ProviderInfo,
  RecordEntry,
  SignedInUser,
  SyncProgress,
  VaultClient,
} from '../../../shared/client/index.ts';
import type { Settings, SettingsSeal, SettingsUpdate } from '../../../shared/ipc/settings.ts';
import type { RecordType, VaultRecordInput } from '../../../shared/records/schema/index.ts';
import type { Platform, ReturnedSignIn } from '../platform/index.ts';
import type { SettingsWarning, StoredSettings } from '../settings/settings-auth.ts';
import type { AdminSlice } from './admin-slice.ts';

/** Which screen the app is on; each follows from what the user has done so far. */
export type Phase = 'server' | 'signin' | 'completing' | 'create-password' | 'unlock' | 'vault';

export interface Notice {
  readonly code: string;
  readonly message: string;
}

export interface SettingsSlice {
  settings: Settings;
  /** The settings' MAC and the server it was made with, persisted beside them (LS-05). */
  settingsSeal: SettingsSeal | null;
  /**
   * The settings as storage held them at startup, or as last signed here: what the check after
   * unlock judges. Null when storage held nothing (first run). Never persisted.
   */
  storedSettings: StoredSettings | null;
  /** A server the user typed in this page load, before unlocking; never persisted. */
  serverChosenHere: string | null;
  /** Shown after unlock when the stored settings failed their check; null otherwise. */
  settingsWarning: SettingsWarning | null;
  /** Applies a change; while unlocked it is signed, while locked the old seal stays as it was. */
  updateSettings(patch: SettingsUpdate): void;
  /** Checks the stored settings against their MAC; runs after every unlock, before the vault. */
  verifySettings(): Promise<void>;
  /** The user keeps the settings as they are now: signed, and the warning goes. */
  keepSettings(): Promise<void>;
  dismissSettingsWarning(): void;
}

export interface SessionSlice {
  phase: Phase;
  serverUrl: string | null;
  providers: ProviderInfo[];
  user: SignedInUser | null;
  client: VaultClient | null;
  /** What long work is under way, for a progress message; null when idle. */
  busy: string | null;
  notice: Notice | null;
  start(): Promise<void>;
  chooseServer(url: string): Promise<void>;
  changeServer(): void;
  /**
   * Settings' server change while unlocked (LS-05), after re-authentication: signs the settings
   * with the new server (Electron), signs out here and goes to the new server's sign-in.
   */
  switchServer(url: string): Promise<void>;
  /** Re-authentication: checks the master password without touching the session (LS-05). */
  reauthenticate(password: string): Promise<void>;
  /**
   * Re-wraps the user key under a new master password; the current one is the re-authentication.
   * The vault stays unlocked with the same keys; on failure nothing changes.
   */
  changeMasterPassword(currentPassword: string, newPassword: string): Promise<void>;
  startSignIn(issuer: string): Promise<void>;
  finishReturnedSignIn(returned: ReturnedSignIn): Promise<void>;
  createMasterPassword(password: string): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): void;
  signOut(): Promise<void>;
  dismissNotice(): void;
}

export interface VaultSlice {
  folders: FolderNode[];
  records: RecordEntry[];
  syncProgress: SyncProgress | null;
  refresh(): Promise<void>;
  createFolder(name: string, parentId: string | null): Promise<string>;
  renameFolder(id: string, name: string): Promise<void>;
  deleteFolder(id: string): Promise<void>;
  createRecord(folderId: string, input: VaultRecordInput): Promise<string>;
  updateRecord(id: string, input: VaultRecordInput): Promise<void>;
  moveRecord(id: string, folderId: string): Promise<void>;
  deleteRecord(id: string): Promise<void>;
  copySecret(text: string): Promise<void>;
}

export type SortOrder = 'title' | 'updated';
export type PaneMode = 'view' | 'edit' | 'create';

export interface UiSlice {
  query: string;
  typeFilter: RecordType | 'all';
  sort: SortOrder;
  /** null: every record. */
  selectedFolderId: string | null;
  selectedRecordId: string | null;
  paneMode: PaneMode;
  setQuery(query: string): void;
  setTypeFilter(type: RecordType | 'all'): void;
  setSort(sort: SortOrder): void;
  selectFolder(id: string | null): void;
  selectRecord(id: string | null): void;
  setPaneMode(mode: PaneMode): void;
}

export type AppState = SettingsSlice & SessionSlice & VaultSlice & UiSlice & AdminSlice;

export interface StoreDeps {
  readonly platform: Platform;
  /** Makes the vault client for a server; tests may wrap its fetch. */
  readonly createClient: (serverUrl: string) => VaultClient;
}
