import { fromUtf8 } from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { parseRecord, type VaultRecord } from '../records/schema/index.ts';
import { summaryOf, type RecordSummary } from './record-summary.ts';

/** A decrypted record with the metadata the list and the writes need. */
export interface RecordEntry {
  readonly id: string;
  readonly folderId: string;
  readonly rootId: string;
  readonly revision: number;
  readonly updatedAt: number;
  /** What the list shows; checked at unlock (record-summary.ts). */
  readonly summary: RecordSummary;
  /**
   * The whole record, validated by shared/records/schema. A record opened at unlock is decoded
   * and validated here on first use (issue #4); if it fails, this throws `record_invalid` and
   * the record is quarantined like one that failed at unlock.
   */
  readonly record: VaultRecord;
}

export type RecordMeta = Omit<RecordEntry, 'summary' | 'record'>;

/** An entry for a record the app has in hand already (one it just wrote). */
export function recordEntry(meta: RecordMeta, record: VaultRecord): RecordEntry {
  return { ...meta, summary: summaryOf(record), record };
}

/**
 * The bytes of the records opened from one batch, shared by their entries, so that locking can
 * zero them all at once: unlike decoded strings, these can be wiped (LS-01).
 */
export interface PlaintextBuffer {
  readonly bytes: Uint8Array;
}

/**
 * An entry whose record is still the plaintext JSON the decryptor opened, within its batch's
 * buffer. The first read of `record` decodes and validates it, keeps the result and zeroes the
 * bytes; `wipe()` (at lock, or when the record is replaced or removed) zeroes them unread.
 */
export class OpenedRecordEntry implements RecordEntry {
  readonly id: string;
  readonly folderId: string;
  readonly rootId: string;
  readonly revision: number;
  readonly updatedAt: number;
  readonly summary: RecordSummary;
  #source: PlaintextBuffer | null;
  readonly #start: number;
  readonly #end: number;
  #record: VaultRecord | null = null;
  #failure: CofferError | null = null;
  readonly #onInvalid: (entry: OpenedRecordEntry, error: CofferError) => void;

  constructor(
    meta: RecordMeta,
    summary: RecordSummary,
    source: { buffer: PlaintextBuffer; start: number; end: number },
    onInvalid: (entry: OpenedRecordEntry, error: CofferError) => void,
  ) {
    this.id = meta.id;
    this.folderId = meta.folderId;
    this.rootId = meta.rootId;
    this.revision = meta.revision;
    this.updatedAt = meta.updatedAt;
    this.summary = summary;
    this.#source = source.buffer;
    this.#start = source.start;
    this.#end = source.end;
    this.#onInvalid = onInvalid;
  }

  get record(): VaultRecord {
    if (this.#record !== null) return this.#record;
    if (this.#failure !== null) throw this.#failure;
    const source = this.#source;
    if (source === null) {
      throw new CofferError(
        'vault_locked',
        'The vault is locked; unlock it with the master password.',
      );
    }
    const bytes = source.bytes.subarray(this.#start, this.#end);
    try {
      this.#record = parseRecord(JSON.parse(fromUtf8(bytes)));
      return this.#record;
    } catch (caught) {
      const error =
        isCofferError(caught) && caught.code === 'record_invalid'
          ? caught
          : new CofferError('record_invalid', 'A decrypted record is not valid JSON.', {
              cause: caught,
            });
      this.#failure = error;
      this.#onInvalid(this, error);
      throw error;
    } finally {
      bytes.fill(0);
      this.#source = null;
    }
  }

  wipe(): void {
    this.#source?.bytes.fill(0, this.#start, this.#end);
    this.#source = null;
    this.#record = null;
  }
}
