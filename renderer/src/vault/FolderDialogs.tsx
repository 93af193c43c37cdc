import { Alert, Button, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { CappedTextInput } from '../app/CappedInputs.tsx';
import { describeError } from '../app/errors.ts';
import { TEXT_MAX } from '../app/text-limits.ts';
import { useFolderGrantees, type FolderGrantees } from './use-folder-grantees.ts';

/** Asks for a folder name (new folder or rename); failures keep the dialog open with the name. */
export function FolderNameDialog(props: {
  readonly title: string;
  readonly initialName: string;
  readonly submitLabel: string;
  readonly onSubmit: (name: string) => Promise<void>;
  readonly onClose: () => void;
}) {
  const [name, setName] = useState(props.initialName);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await props.onSubmit(name);
      props.onClose();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal opened onClose={props.onClose} title={props.title} centered>
      <form onSubmit={submit}>
        <Stack gap="md">
          <CappedTextInput
            label="Folder name"
            value={name}
            max={TEXT_MAX.folderName}
            onText={setName}
            error={error}
            data-autofocus
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Where a folder's grants are: on itself, or on its top-level folder (named when known). */
export interface FolderRoot {
  readonly id: string;
  readonly topLevel: boolean;
  readonly name: string | undefined;
}

/**
 * Which applications lose what, when a folder goes: a top-level folder takes its grants with it;
 * a sub-folder takes its records from every application granted its top-level folder.
 */
function LostAccess(props: { readonly grantees: FolderGrantees; readonly root: FolderRoot }) {
  const { grantees, root } = props;
  if (grantees.status === 'loading') {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" />
        <Text size="sm">Checking which applications use this folder…</Text>
      </Group>
    );
  }
  if (grantees.status === 'unknown') {
    return (
      <Alert color="orange" title="Applications not checked">
        The applications could not be loaded, so this cannot say which of them use this folder.
      </Alert>
    );
  }
  if (grantees.grantees.length === 0) return null;
  const through = root.name === undefined ? 'its top-level folder' : `“${root.name}”`;
  return (
    // A note, not a live alert: it belongs to the question, and the dialog's own alert is then
    // the only one a failure announces.
    <Alert color="orange" title="Applications lose access" role="note">
      <Text size="sm">
        {root.topLevel
          ? 'These applications are granted this folder and lose it:'
          : `These applications reach its records through ${through} and lose them:`}
      </Text>
      <List size="sm" mt={4} aria-label="Applications that lose access">
        {grantees.grantees.map((g) => (
          <List.Item key={g.appId}>
            {g.name} ({g.mode}
            {g.disabled ? ', disabled' : ''})
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** Confirms a folder deletion, saying exactly what goes with it. */
export function DeleteFolderDialog(props: {
  readonly name: string;
  readonly impact: { readonly folders: number; readonly records: number };
  readonly root: FolderRoot;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}) {
  const grantees = useFolderGrantees(props.root.id);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { folders, records } = props.impact;
  const goes =
    folders === 0 && records === 0
      ? 'It is empty.'
      : `This also deletes ${plural(folders, 'sub-folder', 'sub-folders')} ` +
        `and ${plural(records, 'record', 'records')} inside it.`;

  async function confirm() {
    setDeleting(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (caught) {
      setError(describeError(caught));
      setDeleting(false);
    }
  }

  return (
    <Modal opened onClose={props.onClose} title={`Delete folder “${props.name}”?`} centered>
      <Stack gap="md">
        <Text>{goes} This cannot be undone.</Text>
        <LostAccess grantees={grantees} root={props.root} />
        {error !== null && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => void confirm()}
            loading={deleting}
            // Who loses access is read before anything can be confirmed.
            disabled={grantees.status === 'loading'}
          >
            Delete folder
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
