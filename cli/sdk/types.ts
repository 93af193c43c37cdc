import type { DeviceProfile } from '../../shared/keys/device-profile.ts';
import type {
  DeviceRecordWritten,
  DeviceStatusResponse,
  GrantMode,
} from '../../shared/protocol/device-api.ts';
import type { OtpCode } from '../../shared/records/totp/index.ts';
import type { VaultRecord, VaultRecordInput } from '../../shared/records/schema/index.ts';
import type { ResolvedValue } from './fields.ts';
import type { RetryOptions } from './retry.ts';
import type { VaultItem } from './vault-view.ts';

export interface ClientConfig {
  /** The device's completed profile (private keys and app key: keep it owner-only). */
  readonly profile: DeviceProfile;
  /** Origin to call instead of the profile's (COFFER_SERVER). */
  readonly server?: string;
  /** Folder for the offline cache and revision memory; undefined keeps nothing on disk. */
  readonly cacheDir?: string;
  /** Use the offline cache when the server cannot be reached (default true). */
  readonly cache?: boolean;
  readonly cacheMaxAgeSeconds?: number;
  /** Local address to send from, e.g. "127.0.0.2". */
  readonly localAddress?: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /**
   * Called once the server has answered `device_revoked` (the offline cache is already wiped).
   * loadClientConfig's erases the profile's keys, keeping a tombstone, or for COFFER_CONFIG
   * writes a mark beside the cache (cli/README.md "Revocation").
   */
  readonly onRevoked?: () => Promise<void> | void;
  /** Where warnings go (offline answers, rollback resets); the CLI prints them on stderr. */
  readonly onWarning?: (message: string) => void;
  /** Clock in Unix milliseconds; tests move it. */
  readonly now?: () => number;
}

export interface RecordSummary {
  readonly id: string;
  readonly title: string;
  readonly type: VaultRecord['type'];
  readonly folderPath: readonly string[];
  readonly revision: number;
  readonly editable: boolean;
}

/** Where an answer came from: the server, or the offline cache written at `savedAt`. */
export interface Freshness {
  readonly offline: boolean;
  readonly savedAt: number;
}

/** What the device knows without the server: its offline cache, as last saved. */
export interface LocalStatus {
  /** Age of the offline cache in seconds, undefined when there is none. */
  readonly cacheAgeSeconds: number | undefined;
  /** The oldest cache a command answers from (`cacheMaxAgeSeconds`, else 7 days). */
  readonly cacheMaxAgeSeconds: number;
  /** Whether a command would answer from the cache now: it is on, present and young enough. */
  readonly cacheUsable: boolean;
  /** The grants as of the cache's last save; undefined without a cache. */
  readonly cachedGrants:
    readonly { readonly folderId: string; readonly mode: GrantMode }[] | undefined;
  /**
   * Names of the granted folders by id, as far as this device knows them: folder names are
   * ciphertext on the server, so they come from the offline cache's last snapshot, decrypted
   * here. Empty before the first fetch, or with the cache off.
   */
  readonly folderNames: ReadonlyMap<string, string>;
}

export interface ClientStatus extends LocalStatus {
  readonly server: string;
  readonly device: DeviceStatusResponse;
}

export type RecordChanges = Readonly<Record<string, string | number | boolean>>;
export type RecordEdit = (record: VaultRecord) => VaultRecordInput | Promise<VaultRecordInput>;

export interface CofferClient {
  list(options?: { folder?: string }): Promise<RecordSummary[]>;
  get(target: string): Promise<VaultItem>;
  resolve(reference: string): Promise<string>;
  resolveMany(references: readonly string[]): Promise<ResolvedValue[]>;
  totp(target: string, atMs?: number): Promise<OtpCode>;
  /** `changes` may be a function of the current record (it may be async). */
  update(target: string, changes: RecordChanges | RecordEdit): Promise<DeviceRecordWritten>;
  create(folderPath: string, record: VaultRecordInput): Promise<DeviceRecordWritten>;
  /** The server's view of the device, with the local one; throws when it cannot be asked. */
  status(): Promise<ClientStatus>;
  /** What the device knows without asking the server (for a status while it is unreachable). */
  localStatus(): Promise<LocalStatus>;
  /** Where the last answer came from. */
  readonly freshness: Freshness | undefined;
}
