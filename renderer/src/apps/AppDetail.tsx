import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import type { ApplicationView } from '../../../shared/client/index.ts';
import type { GrantMode } from '../../../shared/protocol/device-api.ts';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { AddDeviceDialog } from './AddDeviceDialog.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { DevicesTable } from './DevicesTable.tsx';
import { plural } from './format.ts';

const MODES = [
  { value: 'read-only', label: 'Read-only' },
  { value: 'editable', label: 'Editable' },
];

/** One application: enable or disable, delete, its folder grants and its devices. */
export function AppDetail({ app }: { readonly app: ApplicationView }) {
  const setAppDisabled = useApp((s) => s.setAppDisabled);
  const deleteApp = useApp((s) => s.deleteApp);
  const devices = useApp((s) => s.devices[app.id] ?? []);
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [adding, setAdding] = useState(false);
  const manager = app.wrappedAppKey !== null;
  const live = devices.filter((d) => d.state === 'active' || d.state === 'pending').length;

  function run(work: () => Promise<void>) {
    setError(null);
    work().catch((caught: unknown) => setError(describeError(caught)));
  }

  return (
    <Paper withBorder p="md" component="section" aria-label={`Application ${app.name}`}>
      <Stack gap="lg">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={3}>{app.name}</Title>
            {app.disabled && <Badge color="gray">Disabled</Badge>}
          </Group>
          <Group gap="xs">
            <Button
              variant="default"
              onClick={() => run(() => setAppDisabled(app.id, !app.disabled))}
            >
              {app.disabled ? 'Enable' : 'Disable'}
            </Button>
            <Button color="red" variant="light" onClick={() => setConfirmDelete(true)}>
              Delete application
            </Button>
          </Group>
        </Group>
        {app.disabled && (
          <Text size="sm" c="dimmed">
            Its devices are refused until you enable it again.
          </Text>
        )}
        {!manager && (
          <Alert color="yellow">
            You can see this application as an admin but are not one of its managers, so you do not
            hold its key: granting folders and adding devices are up to its managers.
          </Alert>
        )}
        {error !== null && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Grants app={app} canGrant={manager} onError={setError} />
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={4}>Devices</Title>
            <Button onClick={() => setAdding(true)} disabled={!manager}>
              Add device
            </Button>
          </Group>
          <DevicesTable appId={app.id} devices={devices} onError={setError} />
        </Stack>
      </Stack>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete application “${app.name}”?`}
          message={
            `Its grants go at once and ${plural(live, 'device', 'devices')} still in use ` +
            'will be revoked. This cannot be undone.'
          }
          confirmLabel="Delete application"
          onConfirm={() => deleteApp(app.id)}
          onClose={() => setConfirmDelete(false)}
        />
      )}
      {adding && <AddDeviceDialog app={app} onClose={() => setAdding(false)} />}
    </Paper>
  );
}

function Grants(props: {
  readonly app: ApplicationView;
  readonly canGrant: boolean;
  readonly onError: (message: string | null) => void;
}) {
  const { app } = props;
  const folders = useApp((s) => s.folders);
  const grantFolder = useApp((s) => s.grantFolder);
  const changeGrantMode = useApp((s) => s.changeGrantMode);
  const removeGrant = useApp((s) => s.removeGrant);
  const [folderId, setFolderId] = useState<string | null>(null);
  const [mode, setMode] = useState<GrantMode>('read-only');
  const [working, setWorking] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const nameOf = (id: string) =>
    folders.find((f) => f.id === id)?.name ?? 'Folder not in your vault';
  const grantable = folders.filter(
    (f) => f.parentId === null && !app.grants.some((g) => g.folderId === f.id),
  );

  async function run(work: () => Promise<void>) {
    setWorking(true);
    props.onError(null);
    try {
      await work();
    } catch (caught) {
      props.onError(describeError(caught));
    } finally {
      setWorking(false);
    }
  }

  return (
    <Stack gap="xs">
      <Title order={4}>Folders</Title>
      {app.grants.length === 0 ? (
        <Text size="sm" c="dimmed">
          No folders granted. Grant a top-level folder below; its sub-folders come with it.
        </Text>
      ) : (
        <Table aria-label="Granted folders">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Folder</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {app.grants.map((grant) => (
              <Table.Tr key={grant.folderId}>
                <Table.Td>{nameOf(grant.folderId)}</Table.Td>
                <Table.Td>
                  <SegmentedControl
                    size="xs"
                    aria-label={`Access to ${nameOf(grant.folderId)}`}
                    data={MODES}
                    value={grant.mode}
                    onChange={(value) =>
                      void run(() => changeGrantMode(app.id, grant.folderId, value as GrantMode))
                    }
                  />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() =>
                      setRemoving({ id: grant.folderId, name: nameOf(grant.folderId) })
                    }
                    aria-label={`Remove grant of ${nameOf(grant.folderId)}`}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {props.canGrant && (
        <Group align="flex-end" gap="sm">
          <Select
            label="Folder to grant"
            placeholder={grantable.length === 0 ? 'No top-level folder left' : 'Choose a folder'}
            data={grantable.map((f) => ({ value: f.id, label: f.name }))}
            value={folderId}
            onChange={setFolderId}
            disabled={grantable.length === 0}
            w={240}
          />
          <SegmentedControl
            aria-label="Access for the new grant"
            data={MODES}
            value={mode}
            onChange={(value) => setMode(value as GrantMode)}
          />
          <Button
            loading={working}
            disabled={folderId === null}
            onClick={() =>
              void run(async () => {
                if (folderId === null) return;
                await grantFolder(app.id, folderId, mode);
                setFolderId(null);
              })
            }
          >
            Grant folder
          </Button>
        </Group>
      )}
      {removing !== null && (
        <ConfirmDialog
          title={`Remove the grant of “${removing.name}”?`}
          message="The application's devices lose this folder on their next request."
          confirmLabel="Remove grant"
          onConfirm={() => removeGrant(app.id, removing.id)}
          onClose={() => setRemoving(null)}
        />
      )}
    </Stack>
  );
}
