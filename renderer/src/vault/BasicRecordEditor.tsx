import {
  Alert,
  Button,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  DATABASE_ENGINES,
  validateRecord,
  type RecordType,
  type VaultRecord,
} from '../../../shared/records/schema/index.ts';

/** The editor's contract, the same as the record editor by type (renderer/src/records). */
export interface RecordEditorProps {
  readonly initial?: VaultRecord;
  readonly type: RecordType;
  readonly onSave: (records: readonly VaultRecord[]) => void | Promise<void>;
  readonly onCancel: () => void;
  readonly saving: boolean;
  readonly error?: string | null;
}

type FieldKind = 'text' | 'secret' | 'multiline' | 'secret-multiline' | 'port' | 'engine' | 'url';
interface Field {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
}

const f = (key: string, label: string, kind: FieldKind = 'text'): Field => ({ key, label, kind });

const FIELDS: Readonly<Record<RecordType, readonly Field[]>> = {
  login: [f('username', 'Username'), f('password', 'Password', 'secret'), f('urls', 'URL', 'url')],
  database: [
    f('engine', 'Engine', 'engine'),
    f('host', 'Host'),
    f('port', 'Port', 'port'),
    f('database', 'Database'),
    f('username', 'Username'),
    f('password', 'Password', 'secret'),
  ],
  server: [
    f('host', 'Host'),
    f('port', 'Port', 'port'),
    f('username', 'Username'),
    f('password', 'Password', 'secret'),
  ],
  'ssh-key': [
    f('username', 'Username'),
    f('host', 'Host'),
    f('privateKey', 'Private key', 'secret-multiline'),
    f('publicKey', 'Public key', 'multiline'),
    f('passphrase', 'Passphrase', 'secret'),
  ],
  certificate: [
    f('certificateChain', 'Certificate chain (PEM)', 'multiline'),
    f('privateKey', 'Private key (PEM)', 'secret-multiline'),
    f('passphrase', 'Passphrase', 'secret'),
  ],
  'api-key': [
    f('service', 'Service'),
    f('keyId', 'Key ID'),
    f('secret', 'Secret', 'secret'),
    f('url', 'URL'),
  ],
  'one-time-code': [f('uri', 'otpauth:// or steam:// URI', 'secret')],
  'secure-note': [],
  'payment-card': [
    f('cardholder', 'Cardholder'),
    f('number', 'Card number', 'secret'),
    f('expiryMonth', 'Expiry month (MM)'),
    f('expiryYear', 'Expiry year (YYYY)'),
    f('securityCode', 'Security code', 'secret'),
  ],
};

function initialDraft(type: RecordType, initial?: VaultRecord): Record<string, unknown> {
  if (initial !== undefined) return { ...initial };
  return {
    type,
    schemaVersion: 1,
    title: '',
    notes: '',
    ...(type === 'database' ? { engine: 'postgresql' } : {}),
  };
}

/**
 * A plain editor by record type: every field of the type's schema as a text box, secrets masked.
 * The record is validated with the schema before it is handed to `onSave`; custom fields of an
 * edited record are kept as they are.
 */
export function BasicRecordEditor(props: RecordEditorProps) {
  const [draft, setDraft] = useState<Record<string, unknown>>(() =>
    initialDraft(props.type, props.initial),
  );
  const [problems, setProblems] = useState<Record<string, string>>({});
  const set = (key: string, value: unknown) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: string) => {
    const value = draft[key];
    return typeof value === 'string' ? value : '';
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateRecord(draft);
    if (!result.ok) {
      setProblems(Object.fromEntries(result.problems.map((p) => [p.field, p.message])));
      return;
    }
    setProblems({});
    void Promise.resolve(props.onSave([result.record])).catch(() => undefined);
  }

  function input(field: Field) {
    const error = problems[field.key];
    const common = { key: field.key, label: field.label, error };
    switch (field.kind) {
      case 'secret':
        return (
          <PasswordInput
            {...common}
            value={text(field.key)}
            onChange={(e) => set(field.key, e.currentTarget.value)}
            autoComplete="off"
          />
        );
      case 'multiline':
      case 'secret-multiline':
        return (
          <Textarea
            {...common}
            value={text(field.key)}
            onChange={(e) => set(field.key, e.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={10}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            spellCheck={false}
          />
        );
      case 'port':
        return (
          <NumberInput
            {...common}
            value={typeof draft[field.key] === 'number' ? (draft[field.key] as number) : ''}
            onChange={(value) => set(field.key, typeof value === 'number' ? value : undefined)}
            min={1}
            max={65535}
            allowDecimal={false}
          />
        );
      case 'engine':
        return (
          <Select
            {...common}
            data={[...DATABASE_ENGINES]}
            value={text(field.key)}
            onChange={(value) => set(field.key, value ?? 'postgresql')}
            allowDeselect={false}
          />
        );
      case 'url': {
        const urls = Array.isArray(draft['urls']) ? (draft['urls'] as string[]) : [];
        return (
          <TextInput
            {...common}
            error={problems['urls'] ?? problems['urls.0']}
            value={urls[0] ?? ''}
            onChange={(e) => {
              const first = e.currentTarget.value;
              set('urls', first === '' ? urls.slice(1) : [first, ...urls.slice(1)]);
            }}
          />
        );
      }
      case 'text':
        return (
          <TextInput
            {...common}
            value={text(field.key)}
            onChange={(e) => set(field.key, e.currentTarget.value)}
          />
        );
    }
  }

  return (
    <form onSubmit={submit} aria-label="Record editor">
      <Stack gap="sm">
        {props.error != null && (
          <Alert color="red" role="alert">
            {props.error}
          </Alert>
        )}
        <TextInput
          label="Title"
          value={text('title')}
          onChange={(e) => set('title', e.currentTarget.value)}
          error={problems['title']}
          required
          data-autofocus
        />
        {FIELDS[props.type].map(input)}
        <Textarea
          label="Notes"
          value={text('notes')}
          onChange={(e) => set('notes', e.currentTarget.value)}
          error={problems['notes']}
          autosize
          minRows={2}
          maxRows={8}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel} disabled={props.saving}>
            Cancel
          </Button>
          <Button type="submit" loading={props.saving}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
