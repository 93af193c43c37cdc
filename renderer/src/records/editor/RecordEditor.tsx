import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import type {
  CustomField,
  RecordType,
  VaultRecord,
} from '../../../../shared/records/schema/index.ts';
import { CappedTextInput, CappedTextarea } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
import { messageOf } from '../errors.ts';
import { RecordTypeIcon, recordTypeLabel } from '../type-meta.tsx';
import { CertificateImportPanel, type CertificateFill } from './CertificateImportPanel.tsx';
import { ConflictNotice, type EditConflict } from './ConflictNotice.tsx';
import { CustomFieldsEditor } from './CustomFieldsEditor.tsx';
import {
  draftFromRecord,
  emptyDraft,
  recordFromDraft,
  type Draft,
  type FieldErrors,
} from './draft.ts';
import { FieldInput } from './FieldInput.tsx';
import {
  MigrationReview,
  reviewedRecords,
  startReview,
  type MigrationState,
} from './MigrationReview.tsx';
import { OtpField } from './OtpField.tsx';
import { SshKeyTools, type SshKeyFill } from './SshKeyTools.tsx';
import { TEMPLATES } from './templates.ts';

export interface RecordEditorProps {
  /** The record being edited; absent for a new record. */
  readonly initial?: VaultRecord;
  /** The type of a new record (an edited record keeps its own type). */
  readonly type: RecordType;
  /**
   * Receives the validated records: one, or one per account of a Google Authenticator export.
   * A rejected promise keeps the editor open with its message shown, as does the `error` prop.
   */
  readonly onSave: (
    records: readonly VaultRecord[],
    options: { readonly overwrite: boolean },
  ) => void | Promise<void>;
  readonly onCancel: () => void;
  /** The shell is saving: the form stays filled in and the save button shows progress. */
  readonly saving: boolean;
  /** Why the last save failed, for the user; null or absent when it did not. */
  readonly error?: string | null;
  /**
   * The record was saved elsewhere after this edit began: shown at the top, with the choice to
   * keep this edit (`onSave` with `overwrite`) or discard it. The draft is left as it is.
   */
  readonly conflict?: EditConflict | undefined;
}

/** "SSH key" stays as it is; "Login" reads "login" after "New". */
export function newRecordHeading(label: string): string {
  return `New ${/^[A-Z][^A-Z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label}`;
}

function without(errors: FieldErrors, key: string): FieldErrors {
  if (!(key in errors)) return errors;
  const next = { ...errors };
  delete next[key];
  return next;
}

/**
 * The editor for every record type. The draft is set up once from `initial` and `type`: give
 * the component a React key per record (or per type, for new records) so that switching starts
 * a fresh draft.
 *
 * It offers the type's template, custom fields and notes, with the
 * generator, SSH key generation and import, certificate import and one-time-code entry (URI,
 * secret, QR image, Google Authenticator export). Validation uses the record schema and shows
 * each problem beside its field. Nothing the user typed is lost when a save fails.
 */
export function RecordEditor({
  initial,
  type,
  onSave,
  onCancel,
  saving,
  error,
  conflict,
}: RecordEditorProps) {
  const recordType = initial?.type ?? type;
  const [draft, setDraft] = useState<Draft>(() =>
    initial === undefined ? emptyDraft(recordType) : draftFromRecord(initial),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [migration, setMigration] = useState<MigrationState | null>(null);
  const [migrationErrors, setMigrationErrors] = useState<Readonly<Record<number, string>>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const set = (key: string, value: unknown) => {
    setDraft((prev) => ({ ...prev, [key]: value }));
    setErrors((prev) => without(prev, key));
  };
  const setTitleIfEmpty = (title: string) =>
    setDraft((prev) => (prev.title.trim() === '' && title !== '' ? { ...prev, title } : prev));

  const fillSsh = (fill: SshKeyFill) => {
    setDraft((prev) => ({
      ...prev,
      privateKey: fill.privateKey === '' ? prev.privateKey : fill.privateKey,
      publicKey: fill.publicKey,
      passphrase: fill.privateKey === '' ? prev.passphrase : fill.passphrase || prev.passphrase,
      certificate: fill.certificate === '' ? prev.certificate : fill.certificate,
    }));
    setTitleIfEmpty(fill.comment);
  };
  const fillCertificate = (fill: CertificateFill) => {
    setDraft((prev) => ({
      ...prev,
      certificateChain: fill.certificateChain,
      privateKey: fill.privateKey,
      passphrase: fill.passphrase,
    }));
    setTitleIfEmpty(fill.name);
  };

  const focusFirstProblem = () =>
    requestAnimationFrame(() =>
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );

  const submit = async (event: FormEvent | null, overwrite = false) => {
    event?.preventDefault();
    if (saving) return;
    let records: readonly VaultRecord[];
    if (migration !== null) {
      const reviewed = reviewedRecords(migration, draft.notes);
      if (!reviewed.ok) {
        setMigrationErrors(reviewed.errors);
        focusFirstProblem();
        return;
      }
      setMigrationErrors({});
      records = reviewed.records;
      if (records.length === 0) {
        setSaveError('Select at least one account to add.');
        return;
      }
    } else {
      const result = recordFromDraft(draft);
      if (!result.ok) {
        setErrors(result.errors);
        focusFirstProblem();
        return;
      }
      setErrors({});
      records = [result.record];
    }
    setSaveError(null);
    try {
      await onSave(records, { overwrite });
    } catch (failure) {
      setSaveError(
        messageOf(failure, 'The record could not be saved. Your changes are still here.'),
      );
    }
  };

  const label = recordTypeLabel(recordType);
  const heading = initial === undefined ? newRecordHeading(label) : `Edit ${initial.title}`;
  const shownError = error ?? saveError;
  const unplaced = Object.entries(errors).filter(
    ([field]) =>
      field !== 'title' &&
      field !== 'notes' &&
      !field.startsWith('customFields') &&
      !field.startsWith('urls[') &&
      !TEMPLATES[recordType].some((spec) => spec.key === field),
  );
  const count = migration?.accounts.filter((account) => account.include).length ?? 1;

  return (
    <form ref={form} aria-label={heading} onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <RecordTypeIcon type={recordType} size={28} />
          <Title order={2} size="h3" style={{ overflowWrap: 'anywhere' }}>
            {heading}
          </Title>
        </Group>
        {conflict !== undefined && initial !== undefined && (
          <ConflictNotice
            opened={initial}
            conflict={conflict}
            saving={saving}
            onKeepMine={() => void submit(null, true)}
          />
        )}
        {shownError !== null && shownError !== undefined && shownError !== '' && (
          <Alert color="red" variant="light" role="alert" title="Not saved">
            {shownError}
          </Alert>
        )}
        {migration === null ? (
          <>
            <CappedTextInput
              label="Title"
              required
              value={draft.title}
              max={TEXT_MAX.title}
              error={errors.title}
              onText={(title) => set('title', title)}
              data-autofocus
            />
            {recordType === 'ssh-key' && (
              <SshKeyTools
                passphrase={typeof draft.passphrase === 'string' ? draft.passphrase : ''}
                comment={draft.title}
                onFill={fillSsh}
              />
            )}
            {recordType === 'certificate' && <CertificateImportPanel onFill={fillCertificate} />}
            {TEMPLATES[recordType].map((spec) =>
              spec.kind === 'otp' ? (
                <OtpField
                  key={spec.key}
                  label={spec.label}
                  required={spec.required}
                  value={typeof draft[spec.key] === 'string' ? (draft[spec.key] as string) : ''}
                  error={errors[spec.key]}
                  onChange={(value) => set(spec.key, value)}
                  onMigration={
                    recordType === 'one-time-code'
                      ? (read) => {
                          setMigration(startReview(read));
                          setMigrationErrors({});
                        }
                      : undefined
                  }
                />
              ) : (
                <FieldInput
                  key={spec.key}
                  spec={spec}
                  value={draft[spec.key]}
                  errors={errors}
                  onChange={(value) => set(spec.key, value)}
                />
              ),
            )}
            <CustomFieldsEditor
              fields={draft.customFields}
              errors={errors}
              onChange={(fields: CustomField[]) => {
                setDraft((prev) => ({ ...prev, customFields: fields }));
                setErrors((prev) =>
                  Object.fromEntries(
                    Object.entries(prev).filter(([k]) => !k.startsWith('customFields')),
                  ),
                );
              }}
            />
          </>
        ) : (
          <>
            <MigrationReview state={migration} errors={migrationErrors} onChange={setMigration} />
            <Button
              variant="subtle"
              w="fit-content"
              onClick={() => {
                setMigration(null);
                set('uri', '');
              }}
            >
              Back to code entry
            </Button>
          </>
        )}
        <CappedTextarea
          label="Notes"
          autosize
          minRows={3}
          maxRows={12}
          value={draft.notes}
          max={TEXT_MAX.notes}
          error={errors.notes}
          onText={(notes) => set('notes', notes)}
        />
        {unplaced.length > 0 && (
          <Alert color="red" variant="light" role="alert" title="Check these fields">
            {unplaced.map(([field, message]) => (
              <Text key={field} size="sm">
                {field}: {message}
              </Text>
            ))}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            {count > 1 ? `Save ${count} records` : 'Save'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
