import { randomId, toBase64Url, utf8 } from '../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { DeviceProfile } from '../../shared/keys/device-profile.ts';
import { encryptRecord } from '../../shared/keys/records.ts';
import type { DeviceRecordWritten } from '../../shared/protocol/device-api.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import {
  parseRecord,
  RECORD_SCHEMA_VERSION,
  type VaultRecordInput,
} from '../../shared/records/schema/index.ts';
import type { DeviceApi } from './api.ts';
import { applyChanges } from './changes.ts';
import { folderByPath } from './lookup.ts';
import type { RecordChanges, RecordEdit } from './types.ts';
import type { VaultItem, VaultView } from './vault-view.ts';

/** What a write needs from the client: the API, the device, and where the view came from. */
export interface Writer {
  readonly api: DeviceApi;
  readonly profile: DeviceProfile;
  /** The view was opened from the offline cache: nothing can be written. */
  readonly offline: boolean;
}

async function writable(writer: Writer, view: VaultView, rootId: string, what: string) {
  if (writer.offline) {
    throw new CofferError(
      'server_unreachable',
      `${what} needs the server, and it cannot be reached; nothing was changed.`,
    );
  }
  const mode = view.grantMode(rootId);
  const key = view.folderKey(rootId);
  if (mode !== 'editable' || key === undefined) {
    throw new CofferError(
      'read_only_grant',
      `${what} is refused: this application's grant of that folder is read-only. Ask a ` +
        'manager to make the grant editable.',
    );
  }
  return key;
}

/** Seals the changed record as the next revision of `item` and sends it. */
export async function updateRecord(
  writer: Writer,
  view: VaultView,
  item: VaultItem,
  changes: RecordChanges | RecordEdit,
): Promise<DeviceRecordWritten> {
  const { key, version } = await writable(writer, view, item.rootId, 'Changing a record');
  const next =
    typeof changes === 'function'
      ? await changes(structuredClone(item.record))
      : applyChanges(item.record, changes);
  const record = parseRecord({ ...next, schemaVersion: RECORD_SCHEMA_VERSION });
  const binding = {
    folderId: item.folderId,
    recordId: item.id,
    keyVersion: version,
    revision: item.revision + 1,
    schemaVersion: RECORD_SCHEMA_VERSION,
  };
  const ciphertext = await encryptRecord(key, binding, utf8(JSON.stringify(record)));
  try {
    return await writer.api.updateRecord(writer.profile, item.id, {
      protocol: PROTOCOL_VERSION,
      folderId: item.folderId,
      keyVersion: version,
      schemaVersion: RECORD_SCHEMA_VERSION,
      revision: binding.revision,
      ciphertext: toBase64Url(ciphertext),
    });
  } catch (error) {
    if (isCofferError(error, 'revision_conflict')) {
      throw new CofferError(
        'revision_conflict',
        `Record ${item.id} was changed by someone else after it was read (this device read ` +
          `revision ${item.revision}); nothing was overwritten. Run the command again to ` +
          'apply your change to the current version.',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Seals a new record as revision 1 in the folder at `folderPath` and sends it. */
export async function createRecord(
  writer: Writer,
  view: VaultView,
  folderPath: string,
  input: VaultRecordInput,
): Promise<DeviceRecordWritten> {
  const segments = folderPath.split('/').filter((part) => part !== '');
  const folder = folderByPath(view, segments);
  const { key, version } = await writable(writer, view, folder.rootId, 'Creating a record');
  const record = parseRecord({ ...input, schemaVersion: RECORD_SCHEMA_VERSION });
  const id = randomId();
  const binding = {
    folderId: folder.id,
    recordId: id,
    keyVersion: version,
    revision: 1,
    schemaVersion: RECORD_SCHEMA_VERSION,
  };
  const ciphertext = await encryptRecord(key, binding, utf8(JSON.stringify(record)));
  return writer.api.createRecord(writer.profile, {
    protocol: PROTOCOL_VERSION,
    id,
    folderId: folder.id,
    keyVersion: version,
    schemaVersion: RECORD_SCHEMA_VERSION,
    revision: 1,
    ciphertext: toBase64Url(ciphertext),
  });
}
