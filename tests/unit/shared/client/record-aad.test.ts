import { describe, expect, it } from 'vitest';
import { recordAads } from '../../../../shared/client/record-aad.ts';
import { randomId, toHex } from '../../../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../../../shared/errors.ts';
import { recordAad } from '../../../../shared/keys/index.ts';

/** What recordAad says of one record: its bytes in hex, or the code it refuses it with. */
function own(folderId: string, recordId: string, revision: number, keyVersion: number): string {
  try {
    return toHex(recordAad({ folderId, recordId, keyVersion, revision, schemaVersion: 1 }));
  } catch (error) {
    if (!isCofferError(error)) throw error;
    return error.code;
  }
}

function batchOf(
  rows: readonly (readonly [folderId: string, recordId: string, revision: number])[],
  keyVersion: number,
) {
  const columns = {
    folderIds: rows.map((row) => row[0]),
    ids: rows.map((row) => row[1]),
    revisions: rows.map((row) => row[2]),
  };
  return recordAads(columns, keyVersion, 1).map((aad) =>
    aad instanceof CofferError ? aad.code : toHex(aad),
  );
}

describe('the record associated data of a decrypt batch', () => {
  it('is, record by record, what recordAad gives, whatever the revision', () => {
    const folder = randomId();
    const revisions = [1, 2, 255, 256, 65_535, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5];
    revisions.push(2 ** 40 + 3, 0x0102_0304_0506, Number.MAX_SAFE_INTEGER);
    // Spread over the whole range of safe integers, so every one of the eight bytes varies.
    for (let n = 1; n < 200; n += 1) revisions.push(Math.floor((n * 2 ** 53) / 211));
    for (const keyVersion of [1, 7, 2 ** 33]) {
      const rows = revisions.map((revision, i) => {
        const recordId = randomId();
        return [i % 3 === 0 ? randomId() : folder, recordId, revision] as const;
      });
      expect(batchOf(rows, keyVersion)).toEqual(
        rows.map(([f, r, revision]) => own(f, r, revision, keyVersion)),
      );
    }
  });

  it('writes a batch of valid records into one buffer, from the template', () => {
    const folder = randomId();
    const columns = {
      folderIds: [folder, folder, randomId()],
      ids: [randomId(), randomId(), randomId()],
      revisions: [1, 2 ** 32 + 9, 77],
    };
    const aads = recordAads(columns, 3, 1) as Uint8Array[];
    // One buffer means the template was used: it gave recordAad's bytes for the first record.
    expect(new Set(aads.map((aad) => aad.buffer)).size).toBe(1);
    expect(aads.map(toHex)).toEqual(
      columns.ids.map((id, i) => own(columns.folderIds[i]!, id, columns.revisions[i]!, 3)),
    );
  });

  it('refuses, one by one and as recordAad does, the records whose values it refuses', () => {
    const [a, b] = [randomId(), randomId()];
    const rows = [
      [a, b, 3],
      [a, 'not-an-id', 3],
      [a, `-${b.slice(1)}`, 3],
      ['', b, 3],
      [a, b, 0],
      [a, b, 1.5],
      [a, b, Number.MAX_SAFE_INTEGER + 1],
      [a, `${b.slice(0, 21)}é`, 3],
      [a, b, 4],
    ] as const;
    const answered = batchOf(rows, 2);
    expect(answered).toEqual(rows.map(([f, r, revision]) => own(f, r, revision, 2)));
    expect(answered.filter((x) => x === 'invalid_input')).toHaveLength(7);
  });

  it('refuses every record of a batch whose key version recordAad refuses', () => {
    const rows = [
      [randomId(), randomId(), 1],
      [randomId(), randomId(), 2],
    ] as const;
    expect(batchOf(rows, 0)).toEqual(['invalid_input', 'invalid_input']);
  });
});
