/**
 * The Coffer device SDK (issue #5): what the `coffer` command is built on, for scripts that
 * would otherwise hard-code a password. See cli/README.md for an example.
 */
export {
  createClient,
  type ClientConfig,
  type ClientStatus,
  type CofferClient,
  type Freshness,
  type LocalStatus,
  type RecordChanges,
  type RecordEdit,
  type RecordSummary,
} from './client.ts';
export { loadClientConfig, type LoadedConfig, type LoadOptions } from './load-config.ts';
export { enrollDevice, type EnrollOptions } from './enroll.ts';
export type { VaultItem, FolderInfo } from './vault-view.ts';
export type { ResolvedValue } from './fields.ts';
export type { RetryOptions } from './retry.ts';
export { CofferError, isCofferError } from '../../shared/errors.ts';
