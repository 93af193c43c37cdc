import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { RecordType, VaultRecord } from '../../../../shared/records/schema/index.ts';
import { draftFromRecord } from './draft.ts';
import { TEMPLATES, type FieldSpec } from './templates.ts';

/** The newer version a save ran into, and what the user may do about it. */
export interface EditConflict {
  /** The version saved elsewhere, as the vault now holds it. */
  readonly newer: VaultRecord;
  /** Throws the edit away and starts again from the newer version. */
  readonly onDiscardMine: () => void;
}

interface ChangedField {
  readonly label: string;
  /** The newer value, or null when it is a secret and stays hidden here. */
  readonly value: string | null;
}

const SECRET_KINDS = new Set<FieldSpec['kind']>(['secret', 'otp']);

function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.filter((v) => v !== '').join(', ');
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** Which fields the newer version changed since the edit began, with their new values. */
export function changedFields(opened: VaultRecord, newer: VaultRecord): ChangedField[] {
  const before = draftFromRecord(opened);
  const after = draftFromRecord(newer);
  const same = (key: string) => JSON.stringify(before[key]) === JSON.stringify(after[key]);
  const type: RecordType = newer.type;
  const changed: ChangedField[] = [];
  if (!same('title')) changed.push({ label: 'Title', value: newer.title });
  for (const spec of TEMPLATES[type]) {
    if (same(spec.key)) continue;
    const hidden = SECRET_KINDS.has(spec.kind) || (spec.kind === 'pem' && spec.secret);
    changed.push({ label: spec.label, value: hidden ? null : shown(after[spec.key]) });
  }
  // Custom fields may hold secrets of any kind; only that they changed is said here.
  if (!same('customFields')) changed.push({ label: 'Custom fields', value: null });
  if (!same('notes')) changed.push({ label: 'Notes', value: newer.notes });
  return changed;
}

/**
 * Shown at the top of the editor when the record was saved elsewhere after the edit began.
 * The edit stays in the form below; the user keeps it (saved over the newer version) or
 * discards it. It is an alert so that screen readers announce it, and it scrolls into view
 * because the save button that ran into the conflict sits at the bottom of a long form.
 */
export function ConflictNotice({
  opened,
  conflict,
  saving,
  onKeepMine,
}: {
  readonly opened: VaultRecord;
  readonly conflict: EditConflict;
  readonly saving: boolean;
  readonly onKeepMine: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [conflict.newer]);
  const changed = changedFields(opened, conflict.newer);

  return (
    <Alert
      ref={box}
      color="orange"
      variant="light"
      role="alert"
      title="Changed elsewhere while you were editing"
    >
      <Stack gap="xs">
        <Text size="sm">
          A newer version of this record was saved elsewhere. Your edit is still in the form below
          and has not been saved.
        </Text>
        {changed.length > 0 && (
          <Table
            aria-label="What the newer version changed"
            withRowBorders={false}
            verticalSpacing={2}
          >
            <Table.Tbody>
              {changed.map((field) => (
                <Table.Tr key={field.label}>
                  <Table.Th scope="row" w="30%">
                    <Text size="sm" fw={500}>
                      {field.label}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm" {...(field.value === null ? {} : { ff: 'monospace' })}>
                      {field.value === null ? 'changed (hidden)' : field.value || '(empty)'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group gap="sm">
          <Button size="xs" color="orange" onClick={onKeepMine} loading={saving}>
            Keep mine and save
          </Button>
          <Button size="xs" variant="default" onClick={conflict.onDiscardMine} disabled={saving}>
            Discard mine, use the newer version
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
