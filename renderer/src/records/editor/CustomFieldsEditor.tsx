import { ActionIcon, Button, Checkbox, Group, Select, Stack, Text } from '@mantine/core';
import {
  CUSTOM_FIELD_KINDS,
  type CustomField,
  type CustomFieldKind,
} from '../../../../shared/records/schema/index.ts';
import { CappedPasswordInput, CappedTextInput } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
import { TrashIcon } from '../icons.tsx';
import type { FieldErrors } from './draft.ts';

const KIND_LABELS: Readonly<Record<CustomFieldKind, string>> = {
  text: 'Text',
  hidden: 'Hidden',
  boolean: 'Yes / no',
  url: 'URL',
  email: 'E-mail',
  date: 'Date',
};

/** How much a value box holds, by kind (custom-fields.ts). */
const VALUE_MAX: Readonly<Record<Exclude<CustomFieldKind, 'boolean'>, number>> = {
  text: TEXT_MAX.notes,
  hidden: TEXT_MAX.secret,
  url: TEXT_MAX.url,
  email: TEXT_MAX.short,
  date: TEXT_MAX.date,
};

/** Changing kind keeps the text where it still fits; a yes/no field starts at "no". */
function withKind(field: CustomField, kind: CustomFieldKind): CustomField {
  if (kind === 'boolean') return { kind, name: field.name, value: false };
  const value = typeof field.value === 'string' ? field.value : '';
  return { kind, name: field.name, value } as CustomField;
}

interface CustomFieldsEditorProps {
  readonly fields: readonly CustomField[];
  readonly errors: FieldErrors;
  readonly onChange: (fields: CustomField[]) => void;
}

function ValueInput({
  field,
  label,
  error,
  onChange,
}: {
  readonly field: CustomField;
  readonly label: string;
  readonly error: string | undefined;
  readonly onChange: (field: CustomField) => void;
}) {
  if (field.kind === 'boolean') {
    return (
      <Checkbox
        mt="xs"
        label={label}
        checked={field.value}
        onChange={(event) => onChange({ ...field, value: event.currentTarget.checked })}
      />
    );
  }
  const common = {
    'aria-label': label,
    placeholder: 'Value',
    value: field.value,
    max: VALUE_MAX[field.kind],
    error,
    style: { flex: 2 },
    onText: (value: string) => onChange({ ...field, value }),
  };
  if (field.kind === 'hidden') {
    return (
      <CappedPasswordInput
        {...common}
        visibilityToggleFocusable
        visibilityToggleButtonProps={{ 'aria-label': `Show ${label}` }}
      />
    );
  }
  const type =
    field.kind === 'date'
      ? 'date'
      : field.kind === 'email'
        ? 'email'
        : field.kind === 'url'
          ? 'url'
          : 'text';
  return <CappedTextInput {...common} type={type} />;
}

/** Extra fields any record may carry: add, rename, change kind, remove. */
export function CustomFieldsEditor({ fields, errors, onChange }: CustomFieldsEditorProps) {
  const update = (index: number, field: CustomField) =>
    onChange(fields.map((current, i) => (i === index ? field : current)));
  return (
    <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" fw={600} size="sm">
        Custom fields
      </Text>
      {fields.length === 0 && (
        <Text size="sm" c="dimmed">
          No custom fields. Add one for anything this record type has no place for.
        </Text>
      )}
      {fields.map((field, index) => {
        const n = index + 1;
        return (
          <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
            <CappedTextInput
              aria-label={`Custom field ${n} name`}
              placeholder="Name"
              value={field.name}
              max={TEXT_MAX.customFieldName}
              error={errors[`customFields[${index}].name`]}
              style={{ flex: 1 }}
              onText={(name) => update(index, { ...field, name })}
            />
            <Select
              aria-label={`Custom field ${n} kind`}
              data={CUSTOM_FIELD_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
              value={field.kind}
              allowDeselect={false}
              w={120}
              onChange={(kind) =>
                kind !== null && update(index, withKind(field, kind as CustomFieldKind))
              }
            />
            <ValueInput
              field={field}
              label={`Custom field ${n} value`}
              error={errors[`customFields[${index}].value`]}
              onChange={(next) => update(index, next)}
            />
            <ActionIcon
              variant="subtle"
              size="lg"
              aria-label={`Remove custom field ${n}`}
              onClick={() => onChange(fields.filter((_, i) => i !== index))}
            >
              <TrashIcon />
            </ActionIcon>
          </Group>
        );
      })}
      {errors.customFields !== undefined && (
        <Text size="sm" c="red">
          Custom fields {errors.customFields}
        </Text>
      )}
      <Button
        variant="subtle"
        size="xs"
        w="fit-content"
        onClick={() => onChange([...fields, { kind: 'text', name: '', value: '' }])}
      >
        Add custom field
      </Button>
    </Stack>
  );
}
