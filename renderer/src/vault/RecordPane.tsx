import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { FolderNode, RecordEntry } from '../../../shared/client/index.ts';
import {
  RECORD_TYPES,
  type RecordType,
  type VaultRecord,
} from '../../../shared/records/schema/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { describeError } from '../app/errors.ts';
import { useApp, useAppStore } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';
import { RecordEditor, RecordView, recordTypeLabel } from '../records/index.ts';
import { useOpenLink } from './use-open-link.tsx';

function folderOptions(folders: readonly FolderNode[]) {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const pathOf = (f: FolderNode): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let at: FolderNode | undefined = f; at && !seen.has(at.id);) {
      seen.add(at.id);
      names.unshift(at.name);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    return names.join(' / ');
  };
  return folders
    .map((f) => ({ value: f.id, label: pathOf(f) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Copies through the platform and says when the clipboard will be cleared. */
function useCopy() {
  const copySecret = useApp((s) => s.copySecret);
  const seconds = useApp((s) => s.settings.clipboardClearSeconds);
  return (label: string, value: string) => {
    copySecret(value).then(
      () =>
        notifications.show({
          message: `${label} copied. The clipboard clears in ${seconds} s.`,
          autoClose: 2500,
        }),
      (error: unknown) => notifications.show({ color: 'red', message: describeError(error) }),
    );
  };
}

/**
 * The whole record, decoded and fully validated on first read (issue #4: unlock decodes only
 * the list fields). A record that fails is quarantined by the vault and explained here.
 */
function readRecord(entry: RecordEntry): { record: VaultRecord } | { problem: string } {
  try {
    return { record: entry.record };
  } catch (caught) {
    return { problem: describeError(caught) };
  }
}

function CreatePane() {
  const folders = useApp((s) => s.folders);
  const selectedFolderId = useApp((s) => s.selectedFolderId);
  const createRecord = useApp((s) => s.createRecord);
  const selectRecord = useApp((s) => s.selectRecord);
  const setPaneMode = useApp((s) => s.setPaneMode);
  const options = useMemo(() => folderOptions(folders), [folders]);
  const [type, setType] = useState<RecordType>('login');
  const [folderId, setFolderId] = useState<string | null>(
    selectedFolderId ?? options[0]?.value ?? null,
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(records: readonly VaultRecord[]) {
    if (folderId === null) {
      setError('Choose a folder for the record.');
      throw new Error('no folder');
    }
    setSaving(true);
    setError(null);
    try {
      let last: string | null = null;
      for (const record of records) last = await createRecord(folderId, record);
      if (last !== null) selectRecord(last);
    } catch (caught) {
      setError(describeError(caught));
      throw caught;
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack gap="sm">
      <Group grow>
        <Select
          label="Record type"
          data={RECORD_TYPES.map((t) => ({ value: t, label: recordTypeLabel(t) }))}
          value={type}
          onChange={(value) => setType((value ?? 'login') as RecordType)}
          allowDeselect={false}
        />
        <Select
          label="Folder"
          data={options}
          value={folderId}
          onChange={setFolderId}
          allowDeselect={false}
          searchable
          maxLength={TEXT_MAX.search}
        />
      </Group>
      <RecordEditor
        key={type}
        type={type}
        onSave={save}
        onCancel={() => setPaneMode('view')}
        saving={saving}
        error={error}
      />
    </Stack>
  );
}

/**
 * The editor of a stored record. It remembers the revision the edit began from: when the vault
 * later holds a newer one (a save ran into a change made elsewhere, or a sync brought it in),
 * the edit stays in the form and the user chooses to keep it or take the newer version. A save
 * never writes over a revision the user has not seen.
 */
function EditPane({
  entry,
  record,
}: {
  readonly entry: RecordEntry;
  readonly record: VaultRecord;
}) {
  const store = useAppStore();
  const setPaneMode = useApp((s) => s.setPaneMode);
  const updateRecord = useApp((s) => s.updateRecord);
  const [opened, setOpened] = useState({ revision: entry.revision, record, session: 0 });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = entry.id;

  const latestRevision = () => store.getState().records.find((r) => r.id === id)?.revision;

  async function save(records: readonly VaultRecord[], { overwrite }: { overwrite: boolean }) {
    const edited = records[0];
    if (edited === undefined) return;
    // Without the user's word, a newer revision is shown, not written over.
    if (!overwrite && latestRevision() !== opened.revision) return;
    setSaving(true);
    setError(null);
    try {
      await updateRecord(id, edited);
      setPaneMode('view');
    } catch (caught) {
      // The client pulled the newer version in: the conflict notice explains it.
      if (isCofferError(caught, 'revision_conflict') && latestRevision() !== opened.revision) {
        return;
      }
      setError(describeError(caught));
      throw caught;
    } finally {
      setSaving(false);
    }
  }

  // While a save is under way the revision it writes is the user's own; a conflict it runs
  // into shows once it ends.
  const conflict =
    saving || entry.revision === opened.revision
      ? undefined
      : {
          newer: record,
          onDiscardMine: () => {
            setError(null);
            setOpened((prev) => ({ revision: entry.revision, record, session: prev.session + 1 }));
          },
        };

  return (
    <Stack gap="sm">
      <RecordEditor
        key={`${id}:${opened.session}`}
        initial={opened.record}
        type={record.type}
        onSave={save}
        onCancel={() => setPaneMode('view')}
        saving={saving}
        error={error}
        conflict={conflict}
      />
    </Stack>
  );
}

function ExistingPane({ id }: { readonly id: string }) {
  const entry = useApp((s) => s.records.find((r) => r.id === id));
  const folders = useApp((s) => s.folders);
  const mode = useApp((s) => s.paneMode);
  const setPaneMode = useApp((s) => s.setPaneMode);
  const moveRecord = useApp((s) => s.moveRecord);
  const deleteRecord = useApp((s) => s.deleteRecord);
  const copy = useCopy();
  const openLink = useOpenLink();
  const options = useMemo(() => folderOptions(folders), [folders]);
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (entry === undefined) {
    return <Text c="dimmed">This record is no longer in the vault.</Text>;
  }

  async function move(folderId: string | null) {
    if (folderId === null || folderId === entry?.folderId) return;
    try {
      await moveRecord(id, folderId);
      notifications.show({ message: 'Record moved.', autoClose: 2000 });
    } catch (caught) {
      notifications.show({ color: 'red', message: describeError(caught) });
    }
  }

  const read = readRecord(entry);
  if ('problem' in read) {
    return (
      <Text c="red" role="alert">
        “{entry.summary.title}” could not be opened and has been set aside: {read.problem}
      </Text>
    );
  }
  const { record } = read;

  if (mode === 'edit') return <EditPane entry={entry} record={record} />;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Select
          label="Folder"
          data={options}
          value={entry.folderId}
          onChange={(value) => void move(value)}
          allowDeselect={false}
          searchable
          maxLength={TEXT_MAX.search}
          w={320}
        />
        <Group gap="xs">
          <Button variant="light" onClick={() => setPaneMode('edit')}>
            Edit
          </Button>
          <Button variant="light" color="red" onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        </Group>
      </Group>
      <RecordView
        record={record}
        onCopy={copy}
        onCopyTotp={(code) => copy('One-time code', code)}
        onOpenLink={openLink.open}
      />
      {openLink.dialog}
      <Modal
        opened={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete “${record.title}”?`}
        centered
      >
        <Stack gap="md">
          <Text>The record is removed from the vault on every device. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)} data-autofocus>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirmDelete(false);
                deleteRecord(id).catch((caught: unknown) =>
                  notifications.show({ color: 'red', message: describeError(caught) }),
                );
              }}
            >
              Delete record
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** The right-hand pane: the selected record, its editor, or a new record. */
export function RecordPane() {
  const mode = useApp((s) => s.paneMode);
  const selected = useApp((s) => s.selectedRecordId);
  const hasFolders = useApp((s) => s.folders.length > 0);
  if (mode === 'create') return <CreatePane />;
  if (selected !== null) return <ExistingPane key={selected} id={selected} />;
  return (
    <Text c="dimmed">
      {hasFolders
        ? 'Select a record to see it here, or add one with “New record”.'
        : 'Start by creating a folder on the left; then add records to it.'}
    </Text>
  );
}
