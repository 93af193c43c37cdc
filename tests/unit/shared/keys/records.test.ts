import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateEcdhKeyPair,
  generateSigningKeyPair,
  importAeadKey,
  randomBytes,
  randomId,
  utf8,
} from '../../../../shared/crypto/index.ts';
import {
  createAttachmentKey,
  createFolderKey,
  decryptAttachment,
  decryptRecord,
  encryptAttachment,
  encryptRecord,
  unwrapAttachmentKey,
  unwrapFolderKey,
  Vault,
  type RecordBinding,
} from '../../../../shared/keys/index.ts';
import { rejectedCode } from '../protocol/helpers/errors.ts';

let vault: Vault;
beforeAll(async () => {
  const [encryption, signing] = await Promise.all([
    generateEcdhKeyPair(),
    generateSigningKeyPair(),
  ]);
  vault = new Vault(randomId(), {
    userKey: await importAeadKey(randomBytes(32)),
    encryption,
    signing,
  });
});

const record = (folderId: string, change: Partial<RecordBinding> = {}): RecordBinding => ({
  folderId,
  recordId: randomId(),
  keyVersion: 1,
  revision: 3,
  schemaVersion: 1,
  ...change,
});

describe('records bound to their place (CR-03)', () => {
  it('round-trips a record under its own binding', async () => {
    const folderId = randomId();
    const { key } = await createFolderKey(vault, folderId, 1);
    const binding = record(folderId);
    const sealed = await encryptRecord(key, binding, utf8('{"password":"pw-1"}'));
    expect(new TextDecoder().decode(await decryptRecord(key, binding, sealed))).toBe(
      '{"password":"pw-1"}',
    );
  });

  it('fails when two records of one folder are swapped', async () => {
    const folderId = randomId();
    const { key } = await createFolderKey(vault, folderId, 1);
    const a = record(folderId);
    const b = record(folderId);
    const sealedA = await encryptRecord(key, a, utf8('A'));
    const sealedB = await encryptRecord(key, b, utf8('B'));
    expect(await rejectedCode(decryptRecord(key, a, sealedB))).toBe('crypto_integrity_failed');
    expect(await rejectedCode(decryptRecord(key, b, sealedA))).toBe('crypto_integrity_failed');
  });

  it('fails when a record is moved to another folder, even under the same key', async () => {
    const folderId = randomId();
    const { key } = await createFolderKey(vault, folderId, 1);
    const binding = record(folderId);
    const sealed = await encryptRecord(key, binding, utf8('secret'));
    const moved = { ...binding, folderId: randomId() };
    expect(await rejectedCode(decryptRecord(key, moved, sealed))).toBe('crypto_integrity_failed');
  });

  it.each([
    ['an older revision served as the current one', { revision: 4 }],
    ['another key version', { keyVersion: 2 }],
    ['another schema version', { schemaVersion: 2 }],
  ])('fails for %s', async (_what, change) => {
    const folderId = randomId();
    const { key } = await createFolderKey(vault, folderId, 1);
    const binding = record(folderId);
    const sealed = await encryptRecord(key, binding, utf8('secret'));
    expect(await rejectedCode(decryptRecord(key, { ...binding, ...change }, sealed))).toBe(
      'crypto_integrity_failed',
    );
  });

  it('refuses a record binding with a malformed id or revision before encrypting', async () => {
    const folderId = randomId();
    const { key } = await createFolderKey(vault, folderId, 1);
    expect(
      await rejectedCode(encryptRecord(key, record(folderId, { recordId: 'x' }), utf8('s'))),
    ).toBe('invalid_input');
    expect(
      await rejectedCode(encryptRecord(key, record(folderId, { revision: 0 }), utf8('s'))),
    ).toBe('invalid_input');
  });
});

describe('versioned folder keys', () => {
  it('unwraps a folder key only under its own folder id and version', async () => {
    const folderId = randomId();
    const { wrapped } = await createFolderKey(vault, folderId, 2);
    await expect(unwrapFolderKey(vault, folderId, 2, wrapped)).resolves.toBeDefined();
    expect(await rejectedCode(unwrapFolderKey(vault, folderId, 1, wrapped))).toBe(
      'crypto_integrity_failed',
    );
    expect(await rejectedCode(unwrapFolderKey(vault, randomId(), 2, wrapped))).toBe(
      'crypto_integrity_failed',
    );
  });

  it('makes a new random key for each version', async () => {
    const folderId = randomId();
    const v1 = await createFolderKey(vault, folderId, 1);
    const v2 = await createFolderKey(vault, folderId, 2);
    const binding = record(folderId);
    const sealed = await encryptRecord(v1.key, binding, utf8('s'));
    expect(await rejectedCode(decryptRecord(v2.key, binding, sealed))).toBe(
      'crypto_integrity_failed',
    );
  });
});

describe('attachment keys', () => {
  it('wraps a per-file key under the folder key and binds the file to its record', async () => {
    const folderId = randomId();
    const { key: folderKey } = await createFolderKey(vault, folderId, 1);
    const binding = {
      folderId,
      recordId: randomId(),
      attachmentId: randomId(),
      folderKeyVersion: 1,
    };
    const { key, wrapped } = await createAttachmentKey(folderKey, binding);
    const file = randomBytes(4096);
    const sealed = await encryptAttachment(key, binding, file);

    const reopened = await unwrapAttachmentKey(folderKey, binding, wrapped);
    expect(await decryptAttachment(reopened, binding, sealed)).toEqual(file);

    const otherRecord = { ...binding, recordId: randomId() };
    expect(await rejectedCode(unwrapAttachmentKey(folderKey, otherRecord, wrapped))).toBe(
      'crypto_integrity_failed',
    );
    expect(await rejectedCode(decryptAttachment(key, otherRecord, sealed))).toBe(
      'crypto_integrity_failed',
    );
  });
});
