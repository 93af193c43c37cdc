import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describeError } from '../app/errors.ts';

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
          <TextInput
            label="Folder name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
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

/** Confirms a folder deletion, saying exactly what goes with it. */
export function DeleteFolderDialog(props: {
  readonly name: string;
  readonly impact: { readonly folders: number; readonly records: number };
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { folders, records } = props.impact;
  const goes =
    folders === 0 && records === 0
      ? 'It is empty.'
      : `This also deletes ${plural(folders, 'sub-folder', 'sub-folders')} and ${plural(records, 'record', 'records')} inside it.`;

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
        {error !== null && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={deleting}>
            Delete folder
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
