import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { ApplicationView, DeviceView } from '../../../shared/client/index.ts';
import { CappedTextInput } from '../app/CappedInputs.tsx';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';
import { AppDetail } from './AppDetail.tsx';
import { deviceCountLabel, formatTime } from './format.ts';

/** Applications with their folder, device and last-access counts, and the chosen one's detail. */
export function AppsScreen() {
  const loaded = useApp((s) => s.appsLoaded);
  const applications = useApp((s) => s.applications);
  const devices = useApp((s) => s.devices);
  const selectedId = useApp((s) => s.selectedAppId);
  const selectApp = useApp((s) => s.selectApp);
  const loadApps = useApp((s) => s.loadApps);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    loadApps().catch((caught: unknown) => setError(describeError(caught)));
  }, [loadApps]);

  const selected = applications.find((a) => a.id === selectedId) ?? null;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Applications</Title>
        <Button onClick={() => setCreating(true)}>New application</Button>
      </Group>
      {error !== null && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!loaded && error === null && <Loader aria-label="Loading applications" size="sm" />}
      {loaded && applications.length === 0 && (
        <Stack gap={4} align="flex-start">
          <Text fw={500}>No applications yet.</Text>
          <Text size="sm" c="dimmed">
            Create one for each pipeline or server that needs secrets (for example “GitHub
            Actions”), grant it folders, then add a device to get a one-time token.
          </Text>
        </Stack>
      )}
      {applications.length > 0 && (
        <Table highlightOnHover withTableBorder aria-label="Applications">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Folders</Table.Th>
              <Table.Th>Devices</Table.Th>
              <Table.Th>Last access</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {applications.map((app) => (
              <AppRow
                key={app.id}
                app={app}
                devices={devices[app.id] ?? []}
                selected={app.id === selectedId}
                onSelect={() => selectApp(app.id)}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {selected !== null && <AppDetail app={selected} />}
      {creating && <NewAppDialog onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function AppRow(props: {
  readonly app: ApplicationView;
  readonly devices: readonly DeviceView[];
  readonly selected: boolean;
  readonly onSelect: () => void;
}) {
  const { app, devices } = props;
  const lastAccess = devices.reduce<number | null>(
    (latest, d) =>
      d.lastAccessAt !== null && (latest === null || d.lastAccessAt > latest)
        ? d.lastAccessAt
        : latest,
    null,
  );
  return (
    <Table.Tr {...(props.selected ? { bg: 'var(--mantine-color-default-hover)' } : {})}>
      <Table.Td>
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={props.onSelect}
          aria-pressed={props.selected}
          aria-label={`Open application ${app.name}`}
        >
          {app.name}
        </Button>
      </Table.Td>
      <Table.Td>{app.grants.length}</Table.Td>
      <Table.Td>{deviceCountLabel(devices)}</Table.Td>
      <Table.Td>{formatTime(lastAccess)}</Table.Td>
      <Table.Td>
        <Badge color={app.disabled ? 'gray' : 'teal'} variant="light">
          {app.disabled ? 'Disabled' : 'Enabled'}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

function NewAppDialog({ onClose }: { readonly onClose: () => void }) {
  const createApp = useApp((s) => s.createApp);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await createApp(name);
      onClose();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title="New application" centered>
      <form onSubmit={(event) => void submit(event)}>
        <Stack gap="md">
          <CappedTextInput
            label="Application name"
            description="What will use the secrets, e.g. GitHub Actions or payments-api prod."
            value={name}
            max={TEXT_MAX.displayName}
            onText={setName}
            error={error}
            data-autofocus
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
