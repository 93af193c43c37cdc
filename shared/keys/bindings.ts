import { encodeAad } from '../crypto/index.ts';
import { assertCofferId, assertCounter } from '../protocol/ids.ts';
import type { KdfParams } from './kdf-params.ts';

/**
 * Associated data of every wrapped key and encrypted record in the key hierarchy, in one place.
 * Each binds a kind label and the ids and versions the ciphertext belongs to (length-prefixed by
 * encodeAad), so the server cannot move a blob to another place, version or purpose without the
 * authenticated decryption failing (SECURITY-CASES CR-01, CR-03).
 */
export const AAD_KIND = {
  userKey: 'user-key',
  userPrivateKey: 'user-private-key',
  folderKey: 'folder-key',
  appKey: 'app-key',
  folderGrant: 'folder-key-grant',
  deviceAppKey: 'device-app-key',
  record: 'record',
  attachmentKey: 'attachment-key',
  attachment: 'attachment',
} as const;

export type PrivateKeyPurpose = 'ecdh' | 'ecdsa';

/** User key under the master-password KEK: the KDF parameters and salt are authenticated. */
export function userKeyAad(accountId: string, kdf: KdfParams, salt: Uint8Array): Uint8Array {
  assertCofferId(accountId, 'Account id');
  return encodeAad(AAD_KIND.userKey, [
    accountId,
    kdf.algorithm,
    kdf.memoryKiB,
    kdf.passes,
    kdf.lanes,
    salt,
  ]);
}

/** A user private key under the user key, bound to its own public half. */
export function userPrivateKeyAad(
  accountId: string,
  purpose: PrivateKeyPurpose,
  publicKey: Uint8Array,
): Uint8Array {
  assertCofferId(accountId, 'Account id');
  return encodeAad(AAD_KIND.userPrivateKey, [accountId, purpose, publicKey]);
}

export function folderKeyAad(folderId: string, version: number): Uint8Array {
  assertCofferId(folderId, 'Folder id');
  assertCounter(version, 'Folder key version', 1);
  return encodeAad(AAD_KIND.folderKey, [folderId, version]);
}

export function appKeyAad(appId: string, version: number): Uint8Array {
  assertCofferId(appId, 'Application id');
  assertCounter(version, 'App key version', 1);
  return encodeAad(AAD_KIND.appKey, [appId, version]);
}

export interface FolderGrantBinding {
  readonly appId: string;
  readonly appKeyVersion: number;
  readonly folderId: string;
  readonly folderKeyVersion: number;
}

/** A folder key wrapped by an app key. */
export function folderGrantAad(grant: FolderGrantBinding): Uint8Array {
  assertCofferId(grant.appId, 'Application id');
  assertCounter(grant.appKeyVersion, 'App key version', 1);
  assertCofferId(grant.folderId, 'Folder id');
  assertCounter(grant.folderKeyVersion, 'Folder key version', 1);
  return encodeAad(AAD_KIND.folderGrant, [
    grant.appId,
    grant.appKeyVersion,
    grant.folderId,
    grant.folderKeyVersion,
  ]);
}

/** An app key wrapped under a device token's derived key. */
export function deviceAppKeyAad(
  deviceId: string,
  appId: string,
  appKeyVersion: number,
): Uint8Array {
  assertCofferId(deviceId, 'Device id');
  assertCofferId(appId, 'Application id');
  assertCounter(appKeyVersion, 'App key version', 1);
  return encodeAad(AAD_KIND.deviceAppKey, [deviceId, appId, appKeyVersion]);
}

export interface RecordBinding {
  readonly folderId: string;
  readonly recordId: string;
  readonly keyVersion: number;
  /** Proposed by the client as current + 1; the server accepts it only by compare-and-swap. */
  readonly revision: number;
  readonly schemaVersion: number;
}

export function recordAad(record: RecordBinding): Uint8Array {
  assertCofferId(record.folderId, 'Folder id');
  assertCofferId(record.recordId, 'Record id');
  assertCounter(record.keyVersion, 'Folder key version', 1);
  assertCounter(record.revision, 'Record revision', 1);
  assertCounter(record.schemaVersion, 'Record schema version', 1);
  return encodeAad(AAD_KIND.record, [
    record.folderId,
    record.recordId,
    record.keyVersion,
    record.revision,
    record.schemaVersion,
  ]);
}

export interface AttachmentBinding {
  readonly folderId: string;
  readonly recordId: string;
  readonly attachmentId: string;
  readonly folderKeyVersion: number;
}

/** An attachment key wrapped by its folder key. */
export function attachmentKeyAad(attachment: AttachmentBinding): Uint8Array {
  assertCofferId(attachment.folderId, 'Folder id');
  assertCofferId(attachment.recordId, 'Record id');
  assertCofferId(attachment.attachmentId, 'Attachment id');
  assertCounter(attachment.folderKeyVersion, 'Folder key version', 1);
  return encodeAad(AAD_KIND.attachmentKey, [
    attachment.folderId,
    attachment.recordId,
    attachment.attachmentId,
    attachment.folderKeyVersion,
  ]);
}

/** An attached file's content under its own attachment key. */
export function attachmentAad(attachment: AttachmentBinding): Uint8Array {
  assertCofferId(attachment.recordId, 'Record id');
  assertCofferId(attachment.attachmentId, 'Attachment id');
  return encodeAad(AAD_KIND.attachment, [attachment.recordId, attachment.attachmentId]);
}
