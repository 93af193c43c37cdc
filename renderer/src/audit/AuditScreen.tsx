import {
  Alert,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type {
  AuditEventView,
  AuditExportFormat,
  AuditFilter,
} from '../../../shared/client/index.ts';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { useReauth } from '../reauth/use-reauth.tsx';
import { downloadText } from './download.ts';
import { AUDIT_EVENT_TYPES } from '../../../shared/protocol/audit-events.ts';
import { VerifyPanel } from './VerifyPanel.tsx';

const PAGE_SIZE = 50;

interface FilterForm {
  actor: string;
  app: string | null;
  device: string;
  event: string | null;
  since: string;
  until: string;
}

const EMPTY_FORM: FilterForm = {
  actor: '',
  app: null,
  device: '',
  event: null,
  since: '',
  until: '',
};

function toFilter(form: FilterForm): AuditFilter {
  const time = (value: string) => (value === '' ? undefined : new Date(value).getTime());
  return {
    actor: form.actor.trim() || undefined,
    app: form.app ?? undefined,
    device: form.device.trim() || undefined,
    event: form.event ?? undefined,
    since: time(form.since),
    until: time(form.until),
  };
}

/** The audit log: filters, pages in chain order, exports, and (admins) the chain verified. */
export function AuditScreen() {
  const auditClient = useApp((s) => s.auditClient);
  const isAdmin = useApp((s) => s.user?.isAdmin ?? false);
  const applications = useApp((s) => s.applications);
  const appsLoaded = useApp((s) => s.appsLoaded);
  const loadApps = useApp((s) => s.loadApps);
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  /** The `after` cursor of each page shown so far; the last is the current page's. */
  const [cursors, setCursors] = useState<number[]>([0]);
  const [events, setEvents] = useState<AuditEventView[] | null>(null);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reauth = useReauth();

  useEffect(() => {
    if (!appsLoaded) loadApps().catch(() => undefined);
  }, [appsLoaded, loadApps]);

  const after = cursors.at(-1) ?? 0;
  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await auditClient().query({ ...filter, after, limit: PAGE_SIZE });
      setEvents(page.events);
      setNextAfter(page.nextAfter);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [auditClient, filter, after]);

  useEffect(() => {
    void load();
  }, [load]);

  function apply(event: FormEvent) {
    event.preventDefault();
    try {
      const next = toFilter(form);
      if (next.since !== undefined && next.until !== undefined && next.since >= next.until) {
        setError('The time range ends before it starts.');
        return;
      }
      setFilter(next);
      setCursors([0]);
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  async function exportAs(format: AuditExportFormat) {
    setError(null);
    // An export leaves the app as a file: it needs the master password (LS-05).
    if (!(await reauth.confirm('Export the audit log as a file.'))) return;
    try {
      const text = await auditClient().export(filter, format);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      if (format === 'jsonl') {
        downloadText(`coffer-audit-${stamp}.jsonl`, text, 'application/jsonl');
      } else {
        downloadText(`coffer-audit-${stamp}.log`, text, 'text/plain');
      }
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  const appName = (id: string | undefined) =>
    id === undefined ? '—' : (applications.find((a) => a.id === id)?.name ?? id.slice(0, 8));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Audit log</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => void exportAs('jsonl')}>
            Export JSON lines
          </Button>
          <Button variant="default" onClick={() => void exportAs('syslog')}>
            Export syslog
          </Button>
        </Group>
      </Group>
      {reauth.dialog}
      {isAdmin ? (
        <VerifyPanel check={(remembered) => auditClient().check(remembered)} />
      ) : (
        <Text size="sm" c="dimmed">
          You see the events of the folders and applications you manage. Only admins can verify the
          whole chain.
        </Text>
      )}
      <form onSubmit={apply} aria-label="Audit filters">
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Actor id"
            value={form.actor}
            onChange={(e) => setForm({ ...form, actor: e.currentTarget.value })}
            w={200}
          />
          <Select
            label="Application"
            clearable
            data={applications.map((a) => ({ value: a.id, label: a.name }))}
            value={form.app}
            onChange={(app) => setForm({ ...form, app })}
            w={200}
          />
          <TextInput
            label="Device id"
            value={form.device}
            onChange={(e) => setForm({ ...form, device: e.currentTarget.value })}
            w={200}
          />
          <Select
            label="Event"
            clearable
            searchable
            data={[...AUDIT_EVENT_TYPES]}
            value={form.event}
            onChange={(value) => setForm({ ...form, event: value })}
            w={220}
          />
          <TextInput
            label="From"
            type="datetime-local"
            value={form.since}
            onChange={(e) => setForm({ ...form, since: e.currentTarget.value })}
          />
          <TextInput
            label="Until"
            type="datetime-local"
            value={form.until}
            onChange={(e) => setForm({ ...form, until: e.currentTarget.value })}
          />
          <Button type="submit">Apply filters</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setForm(EMPTY_FORM);
              setFilter({});
              setCursors([0]);
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      {error !== null && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {events !== null && events.length === 0 && (
        <Text c="dimmed">
          No events match. Clear the filters, or act in the vault or on an application first.
        </Text>
      )}
      {events !== null && events.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table aria-label="Audit events" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Application</Table.Th>
                <Table.Th>Device</Table.Th>
                <Table.Th>IP</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.seq}>
                  <Table.Td>{e.seq}</Table.Td>
                  <Table.Td>{new Date(e.time).toLocaleString()}</Table.Td>
                  <Table.Td ff="monospace">{e.type}</Table.Td>
                  <Table.Td>
                    <Badge color={e.outcome === 'success' ? 'teal' : 'red'} variant="light">
                      {e.outcome}
                    </Badge>
                  </Table.Td>
                  <Table.Td ff="monospace">
                    {(e.actorUserId ?? e.actorDeviceId ?? '—').slice(0, 8)}
                  </Table.Td>
                  <Table.Td>{appName(e.appId)}</Table.Td>
                  <Table.Td ff="monospace">{e.deviceId?.slice(0, 8) ?? '—'}</Table.Td>
                  <Table.Td>{e.ip}</Table.Td>
                  <Table.Td>
                    {[e.reason, e.details ? JSON.stringify(e.details) : undefined]
                      .filter(Boolean)
                      .join(' ')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Button
          variant="default"
          disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous page
        </Button>
        <Text size="sm" c="dimmed">
          Page {cursors.length}
        </Text>
        <Button
          variant="default"
          disabled={nextAfter === null}
          onClick={() => nextAfter !== null && setCursors([...cursors, nextAfter])}
        >
          Next page
        </Button>
      </Group>
    </Stack>
  );
}
