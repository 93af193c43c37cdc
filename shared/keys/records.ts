import { importAeadKey, generateAeadKeyBytes, open, seal, type AeadKey } from '../crypto/index.ts';
import {
  attachmentAad,
  attachmentKeyAad,
  recordAad,
  type AttachmentBinding,
  type RecordBinding,
} from './bindings.ts';
import { openKey } from './versioned-keys.ts';

/**
 * Record content is sealed directly under its folder key, bound to folder id, record id, key
 * version, revision and schema version (SECURITY-CASES CR-03): swapping two records, moving one
 * to another folder, or serving an older revision under a newer number fails to decrypt with
 * `crypto_integrity_failed`. Serving an older revision under its own number decrypts, and is
 * caught by the RevisionTracker instead.
 */
export async function encryptRecord(
  folderKey: AeadKey,
  binding: RecordBinding,
  content: Uint8Array,
): Promise<Uint8Array> {
  return seal(folderKey, content, recordAad(binding));
}

export async function decryptRecord(
  folderKey: AeadKey,
  binding: RecordBinding,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return open(folderKey, sealed, recordAad(binding));
}

/** A fresh per-file key, returned with its wrap under the folder key. */
export async function createAttachmentKey(
  folderKey: AeadKey,
  binding: AttachmentBinding,
): Promise<{ key: AeadKey; wrapped: Uint8Array }> {
  const raw = generateAeadKeyBytes();
  try {
    const wrapped = await seal(folderKey, raw, attachmentKeyAad(binding));
    return { key: await importAeadKey(raw), wrapped };
  } finally {
    raw.fill(0);
  }
}

export async function unwrapAttachmentKey(
  folderKey: AeadKey,
  binding: AttachmentBinding,
  wrapped: Uint8Array,
): Promise<AeadKey> {
  return openKey(folderKey, wrapped, attachmentKeyAad(binding));
}

export async function encryptAttachment(
  attachmentKey: AeadKey,
  binding: AttachmentBinding,
  content: Uint8Array,
): Promise<Uint8Array> {
  return seal(attachmentKey, content, attachmentAad(binding));
}

export async function decryptAttachment(
  attachmentKey: AeadKey,
  binding: AttachmentBinding,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return open(attachmentKey, sealed, attachmentAad(binding));
}
