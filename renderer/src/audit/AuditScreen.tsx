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
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AuditExportFormat, AuditFilter, AuditPage } from '../../../shared/client/index.ts';
import { CappedTextInput } from '../app/CappedInputs.tsx';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';
import { useReauth } from '../reauth/use-reauth.tsx';
import { downloadText } from './download.ts';
import { AUDIT_EVENT_TYPES } from '../../../shared/protocol/audit-events.ts';
import { formatTime } from '../apps/format.ts';
import { accountNames } from './account-names.ts';
import { describeEvent, eventTypeLabel, type LocalNames } from './describe-event.ts';
import { VerifyPanel } from './VerifyPanel.tsx';

const PAGE_SIZE = 50;
const NO_NAMES = { users: {}, devices: {}, apps: {} };

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

/**
 * The audit log: filters, pages newest first with the names of who and what, exports, and
 * (admins) the chain verified — over the server's raw rows, not what this screen shows.
 */
export function AuditScreen() {
  const auditClient = useApp((s) => s.auditClient);
  const isAdmin = useApp((s) => s.user?.isAdmin ?? false);
  const viewerId = useApp((s) => s.user?.id ?? null);
  const applications = useApp((s) => s.applications);
  const appsLoaded = useApp((s) => s.appsLoaded);
  const loadApps = useApp((s) => s.loadApps);
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const folders = useApp((s) => s.folders);
  const records = useApp((s) => s.records);
  /** The `before` cursor of each page shown so far (none for the newest); the last is current. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reauth = useReauth();

  useEffect(() => {
    if (!appsLoaded) loadApps().catch(() => undefined);
  }, [appsLoaded, loadApps]);

  const before = cursors.at(-1);
  const load = useCallback(async () => {
    setError(null);
    try {
      setPage(await auditClient().newest({ ...filter, before, limit: PAGE_SIZE }));
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [auditClient, filter, before]);

  // Titles and folder names are plaintext only in this app: they are looked up here, unlocked.
  const local = useMemo<LocalNames>(() => {
    const folderNames = new Map(folders.map((f) => [f.id, f.name]));
    const titles = new Map(records.map((r) => [r.id, r.summary.title]));
    return { folderName: (id) => folderNames.get(id), recordTitle: (id) => titles.get(id) };
  }, [folders, records]);
  const events = page?.events ?? null;
  const nextBefore = page?.nextBefore ?? null;
  const names = page?.names ?? NO_NAMES;
  // Whether a name needs its provider depends on every account the page mentions.
  const people = useMemo(() => accountNames(names.users, viewerId), [names, viewerId]);

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
      setCursors([undefined]);
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
          <CappedTextInput
            label="Actor id"
            value={form.actor}
            max={TEXT_MAX.id}
            onText={(actor) => setForm({ ...form, actor })}
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
          <CappedTextInput
            label="Device id"
            value={form.device}
            max={TEXT_MAX.id}
            onText={(device) => setForm({ ...form, device })}
            w={200}
          />
          <Select
            label="Event"
            clearable
            searchable
            maxLength={TEXT_MAX.search}
            data={AUDIT_EVENT_TYPES.map((type) => ({ value: type, label: eventTypeLabel(type) }))}
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
              setCursors([undefined]);
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
        <>
          <Text size="sm" c="dimmed">
            People are named by their account’s current e-mail, on older events too; the provider is
            added when it is not yours or when two accounts share an e-mail.
          </Text>
          <Table.ScrollContainer minWidth={1000}>
            <Table aria-label="Audit events" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th miw={120}>Time</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th miw={110}>Outcome</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Application</Table.Th>
                  <Table.Th>Device</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>#</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((e) => {
                  const shown = describeEvent(e, names, local, people);
                  return (
                    <Table.Tr key={e.seq}>
                      <Table.Td>
                        <time dateTime={e.time}>{formatTime(Date.parse(e.time))}</time>
                      </Table.Td>
                      <Table.Td title={e.type}>{shown.sentence}</Table.Td>
                      <Table.Td>
                        <Badge
                          color={e.outcome === 'success' ? 'teal' : 'red'}
                          variant="light"
                          style={{ overflow: 'visible' }}
                        >
                          {e.outcome}
                        </Badge>
                      </Table.Td>
                      <Table.Td
                        {...(e.actorUserId === undefined
                          ? {}
                          : { title: people.detail(e.actorUserId) })}
                      >
                        {shown.actor}
                      </Table.Td>
                      <Table.Td>{shown.application ?? '—'}</Table.Td>
                      <Table.Td>{shown.device ?? '—'}</Table.Td>
                      <Table.Td>{e.ip}</Table.Td>
                      <Table.Td c="dimmed">{e.seq}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
      <Group justify="space-between">
        <Button
          variant="default"
          disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer events
        </Button>
        <Text size="sm" c="dimmed">
          Page {cursors.length}
        </Text>
        <Button
          variant="default"
          disabled={nextBefore === null}
          onClick={() => nextBefore !== null && setCursors([...cursors, nextBefore])}
        >
          Older events
        </Button>
      </Group>
    </Stack>
  );
}
