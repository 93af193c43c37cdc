import { createDecipheriv } from 'node:crypto';
import {
  accountIdFor,
  encodeRecord,
  toEnrolment,
  type FolderView,
  type MembershipView,
  type RecordView,
} from '../../shared/client/index.ts';
import { randomId, seal, sealMany, toBase64Url, utf8 } from '../../shared/crypto/index.ts';
import {
  createAccount,
  createFolderKey,
  folderKeyAad,
  openRawKey,
  recordAad,
} from '../../shared/keys/index.ts';
import { folderNameAad } from '../../shared/protocol/device-api.ts';

/**
 * A recorded vault as the server would store and serve it: an account enrolled with the
 * default Argon2id parameters, one top-level folder with sub-folders, and `count` records
 * sealed through shared/keys exactly as VaultClient.createRecord seals them.
 */
export interface RecordedVault {
  readonly userId: string;
  readonly accountKeys: ReturnType<typeof toEnrolment> & { revision: number };
  readonly memberships: MembershipView[];
  readonly folders: FolderView[];
  readonly records: RecordView[];
  /** For the node:crypto baseline: the folder key's bytes and each record's AAD. */
  readonly folderKeyRaw: Uint8Array;
  readonly aads: Uint8Array[];
}

const ENGINES = ['postgres', 'mysql', 'redis', 'mongodb'];

function recordInput(i: number) {
  const engine = ENGINES[i % ENGINES.length]!;
  return {
    type: 'login' as const,
    schemaVersion: 1 as const,
    title: `${engine} ${i % 97 === 0 ? 'prod' : 'staging'} service ${i}`,
    username: `svc-${i}@example.com`,
    password: `pw-${i}-${'x'.repeat(24)}`,
    urls: [`https://${engine}-${i}.db.example.com:5432/app`],
    notes: `Rotated quarterly. Owner: team ${i % 13}. Ticket OPS-${10_000 + i}.`,
  };
}

export async function recordVault(count: number, masterPassword: string): Promise<RecordedVault> {
  const userId = randomId();
  const { keys, vault } = await createAccount({
    accountId: await accountIdFor(userId),
    masterPassword,
  });
  const rootId = randomId();
  const folderKey = await createFolderKey(vault, rootId, 1);
  const subIds = Array.from({ length: 4 }, () => randomId());
  let seq = 0;
  const folderView = async (id: string, parentId: string | null, name: string) => ({
    id,
    rootId,
    parentId,
    name: toBase64Url(await seal(folderKey.key, utf8(name), folderNameAad(id, 1))),
    keyVersion: 1,
    revision: 1,
    seq: ++seq,
    deleted: false as const,
    updatedAt: 0,
  });
  const folders: FolderView[] = [await folderView(rootId, null, 'Production')];
  for (const [n, id] of subIds.entries()) folders.push(await folderView(id, rootId, `Team ${n}`));
  const ids = Array.from({ length: count }, () => randomId());
  const folderOf = (i: number) => (i % 5 === 0 ? rootId : subIds[i % 4]!);
  const aads = ids.map((id, i) =>
    recordAad({
      folderId: folderOf(i),
      recordId: id,
      keyVersion: 1,
      revision: 1,
      schemaVersion: 1,
    }),
  );
  const blobs = await sealMany(
    folderKey.key,
    ids.map((_, i) => ({ data: encodeRecord(recordInput(i)).bytes, aad: aads[i]! })),
  );
  const records: RecordView[] = ids.map((id, i) => ({
    id,
    rootId,
    folderId: folderOf(i),
    ciphertext: toBase64Url(blobs[i]!),
    revision: 1,
    seq: ++seq,
    deleted: false,
    updatedAt: 1_700_000_000_000 + i,
  }));
  // Only for the node:crypto baseline; the vault object itself is dropped here.
  const folderKeyRaw = await openRawKey(vault.userKey, folderKey.wrapped, folderKeyAad(rootId, 1));
  vault.lock();
  return {
    userId,
    accountKeys: { ...toEnrolment(keys), revision: 1 },
    memberships: [
      {
        folderId: rootId,
        role: 'owner',
        wrappedKey: toBase64Url(folderKey.wrapped),
        keyVersion: 1,
      },
    ],
    folders,
    records,
    folderKeyRaw,
    aads,
  };
}

/** Node's own AES-256-GCM, one record at a time, synchronously: decrypt and JSON.parse. */
export function nodeCryptoOpenAll(vault: RecordedVault): number {
  const started = performance.now();
  vault.records.forEach((view, i) => {
    if (view.deleted) return;
    const blob = Buffer.from(view.ciphertext, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', vault.folderKeyRaw, blob.subarray(1, 13));
    decipher.setAAD(vault.aads[i]!);
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const plain = Buffer.concat([
      decipher.update(blob.subarray(13, blob.length - 16)),
      decipher.final(),
    ]);
    JSON.parse(plain.toString('utf8'));
  });
  return performance.now() - started;
}
