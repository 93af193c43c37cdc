import { fromUtf8, utf8 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { parseRecord, type VaultRecord, type VaultRecordInput } from '../records/schema/index.ts';

/**
 * Record content on the wire: the UTF-8 JSON of a record validated by shared/records/schema,
 * sealed under its top-level folder's key with the `record` associated data (the same bytes the
 * device API serves, shared/protocol README "Device API").
 */
export function encodeRecord(input: VaultRecordInput): { record: VaultRecord; bytes: Uint8Array } {
  const record = parseRecord(input);
  return { record, bytes: utf8(JSON.stringify(record)) };
}

export function decodeRecord(bytes: Uint8Array): VaultRecord {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    throw new CofferError('record_invalid', 'A decrypted record is not valid JSON.', {
      cause: error,
    });
  }
  return parseRecord(json);
}
