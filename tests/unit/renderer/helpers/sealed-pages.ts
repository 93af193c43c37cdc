import {
  type LoadedPage,
  type OpenedBatch,
  type RecordBatch,
  type SyncResponse,
} from '../../../../shared/client/index.ts';
import { encodeRecord } from '../../../../shared/client/record-codec.ts';
import {
  generateAeadKeyBytes,
  importAeadKey,
  randomId,
  seal,
  sealMany,
  toBase64Url,
  utf8,
} from '../../../../shared/crypto/index.ts';
import { folderKeyAad, recordAad, Vault } from '../../../../shared/keys/index.ts';
import { folderNameAad } from '../../../../shared/protocol/device-api.ts';

/** Sync pages of records sealed as the server holds them, for the decrypt pool's tests. */

export function loginInput(i: number) {
  return {
    type: 'login' as const,
    schemaVersion: 1 as const,
    title: `Service ${i}`,
    username: `alice${i}@example.com`,
    password: `pw-${i}`,
  };
}

/**
 * A sync page of `count` login records sealed under one folder key, all in its top-level
 * folder. `content(i)` replaces record i's JSON (to seal one that fails the schema).
 */
export async function sealedPage(
  count: number,
  raw = generateAeadKeyBytes(),
  content: (i: number) => Uint8Array = (i) => encodeRecord(loginInput(i)).bytes,
) {
  const key = await importAeadKey(raw);
  const rootId = randomId();
  const ids = Array.from({ length: count }, () => randomId());
  const blobs = await sealMany(
    key,
    ids.map((id, i) => ({
      data: content(i),
      aad: recordAad({
        folderId: rootId,
        recordId: id,
        keyVersion: 1,
        revision: 1,
        schemaVersion: 1,
      }),
    })),
  );
  const page: SyncResponse = {
    cursor: count,
    more: false,
    memberships: [],
    folders: [],
    records: ids.map((id, i) => ({
      id,
      rootId,
      folderId: rootId,
      ciphertext: toBase64Url(blobs[i]!),
      revision: 1,
      seq: i + 1,
      deleted: false,
      updatedAt: i,
    })),
  };
  return { raw, rootId, page, ciphertexts: blobs.map((blob) => toBase64Url(blob)) };
}

export function batch(
  page: LoadedPage,
  rootId: string,
  positions: readonly number[],
  keyVersion = 1,
): RecordBatch {
  return { page: page.id, rootId, keyVersion, positions };
}

export const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => from + i);

/** What an opened batch says of each record: its title, or the code it was quarantined with. */
export function outcomes(opened: OpenedBatch): string[] {
  return opened.codes.map((code, i) => code ?? opened.titles[i]!);
}

/** Record i's plaintext JSON, decoded. */
export function plaintextOf(opened: OpenedBatch, i: number): unknown {
  const start = i === 0 ? 0 : opened.ends[i - 1]!;
  return JSON.parse(new TextDecoder().decode(opened.plaintext.subarray(start, opened.ends[i]!)));
}

/** A vault whose one top-level folder holds `count` records, and the sync page bringing them. */
export async function vaultWithRecords(count: number) {
  const userRaw = generateAeadKeyBytes();
  const userKey = await importAeadKey(userRaw);
  const pair = { publicKey: new Uint8Array(65), privateKey: new Uint8Array(32) };
  const vault = new Vault(randomId(), { userKey, encryption: pair, signing: { ...pair } });
  const folderRaw = generateAeadKeyBytes();
  const { rootId, page } = await sealedPage(count, folderRaw);
  const wrapped = await seal(userKey, folderRaw, folderKeyAad(rootId, 1));
  const name = await seal(
    await importAeadKey(folderRaw),
    utf8('Production'),
    folderNameAad(rootId, 1),
  );
  const full: SyncResponse = {
    ...page,
    memberships: [
      { folderId: rootId, role: 'owner', wrappedKey: toBase64Url(wrapped), keyVersion: 1 },
    ],
    folders: [
      {
        id: rootId,
        rootId,
        parentId: null,
        name: toBase64Url(name),
        keyVersion: 1,
        revision: 1,
        seq: 0,
        deleted: false,
        updatedAt: 0,
      },
    ],
  };
  return { vault, page: full };
}
