import { Alert, Badge, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { CappedTextInput } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
import {
  RECORD_SCHEMA_VERSION,
  validateRecord,
  type VaultRecord,
} from '../../../../shared/records/schema/index.ts';
import {
  formatOtpUri,
  type OtpEntry,
  type OtpImport,
} from '../../../../shared/records/totp/index.ts';

export interface ReviewedAccount {
  readonly entry: OtpEntry;
  readonly title: string;
  readonly include: boolean;
}

export interface MigrationState {
  readonly accounts: readonly ReviewedAccount[];
  readonly skipped: number;
  readonly batch: { readonly index: number; readonly size: number };
}

export function startReview(read: OtpImport): MigrationState {
  return {
    accounts: read.accounts.map(({ entry }) => ({
      entry,
      title: entry.issuer || entry.account || 'One-time code',
      include: true,
    })),
    skipped: read.skipped.length,
    batch: { index: read.batch?.index ?? 0, size: read.batch?.size ?? 1 },
  };
}

function kind(entry: OtpEntry): string {
  if (entry.type === 'steam') return 'Steam';
  if (entry.type === 'hotp') return `HOTP · counter ${entry.counter}`;
  return `TOTP · ${entry.digits} digits · ${entry.period} s`;
}

export type ReviewResult =
  | { readonly ok: true; readonly records: readonly VaultRecord[] }
  | { readonly ok: false; readonly errors: Readonly<Record<number, string>> };

/** One one-time-code record per included account, each checked with the record schema. */
export function reviewedRecords(state: MigrationState, notes: string): ReviewResult {
  const records: VaultRecord[] = [];
  const errors: Record<number, string> = {};
  state.accounts.forEach((account, index) => {
    if (!account.include) return;
    const result = validateRecord({
      type: 'one-time-code',
      schemaVersion: RECORD_SCHEMA_VERSION,
      title: account.title,
      notes,
      uri: formatOtpUri(account.entry),
    });
    if (result.ok) records.push(result.record);
    else errors[index] = `Title ${result.problems[0]?.message ?? 'is invalid'}`;
  });
  return Object.keys(errors).length === 0 ? { ok: true, records } : { ok: false, errors };
}

interface MigrationReviewProps {
  readonly state: MigrationState;
  readonly errors: Readonly<Record<number, string>>;
  readonly onChange: (state: MigrationState) => void;
}

/** The accounts of a Google Authenticator export, each to keep or drop and to name. */
export function MigrationReview({ state, errors, onChange }: MigrationReviewProps) {
  const update = (index: number, patch: Partial<ReviewedAccount>) =>
    onChange({
      ...state,
      accounts: state.accounts.map((account, i) =>
        i === index ? { ...account, ...patch } : account,
      ),
    });
  const chosen = state.accounts.filter((account) => account.include).length;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text fw={600}>Google Authenticator export</Text>
        {state.batch.size > 1 && (
          <Badge variant="light">
            QR code {state.batch.index + 1} of {state.batch.size}
          </Badge>
        )}
      </Group>
      <Text size="sm">
        Each account becomes its own one-time-code record. {chosen} of {state.accounts.length}{' '}
        selected.
      </Text>
      {state.skipped > 0 && (
        <Alert color="yellow" variant="light">
          {state.skipped} account{state.skipped === 1 ? '' : 's'} in the export could not be read
          and will not be added.
        </Alert>
      )}
      {state.batch.size > 1 && (
        <Text size="sm" c="dimmed">
          The export was split over {state.batch.size} QR codes; scan the others separately.
        </Text>
      )}
      <Table aria-label="Accounts in the export" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Add</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Record title</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {state.accounts.map((account, index) => {
            const name =
              [account.entry.issuer, account.entry.account].filter((p) => p !== '').join(' · ') ||
              `Account ${index + 1}`;
            return (
              <Table.Tr key={index}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Add ${name}`}
                    checked={account.include}
                    onChange={(event) => update(index, { include: event.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{name}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{kind(account.entry)}</Text>
                </Table.Td>
                <Table.Td>
                  <CappedTextInput
                    aria-label={`Title for ${name}`}
                    value={account.title}
                    max={TEXT_MAX.title}
                    disabled={!account.include}
                    error={errors[index]}
                    onText={(title) => update(index, { title })}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
