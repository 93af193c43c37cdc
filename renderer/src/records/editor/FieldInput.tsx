import {
  ActionIcon,
  Button,
  Group,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { TrashIcon } from '../icons.tsx';
import { defined } from '../optional.ts';
import type { FieldErrors } from './draft.ts';
import { GeneratorPopover } from './GeneratorPopover.tsx';
import type { FieldSpec } from './templates.ts';
import { MONO_INPUT_STYLES } from '../mono.ts';

interface FieldInputProps {
  readonly spec: Exclude<FieldSpec, { kind: 'otp' }>;
  readonly value: unknown;
  readonly errors: FieldErrors;
  readonly onChange: (value: unknown) => void;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function UrlsInput({
  value,
  errors,
  onChange,
  label,
}: Omit<FieldInputProps, 'spec'> & { readonly label: string }) {
  const urls = Array.isArray(value) ? (value as string[]) : [''];
  return (
    <Stack gap={6} role="group" aria-label={label}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {urls.map((url, index) => (
        <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            aria-label={`Website ${index + 1}`}
            placeholder="https://example.com"
            value={url}
            {...defined({ error: errors[`urls[${index}]`] })}
            onChange={(event) => {
              const next = [...urls];
              next[index] = event.currentTarget.value;
              onChange(next);
            }}
          />
          <ActionIcon
            variant="subtle"
            size="lg"
            aria-label={`Remove website ${index + 1}`}
            disabled={urls.length === 1 && url === ''}
            onClick={() => onChange(urls.length === 1 ? [''] : urls.filter((_, i) => i !== index))}
          >
            <TrashIcon />
          </ActionIcon>
        </Group>
      ))}
      <Button variant="subtle" size="xs" w="fit-content" onClick={() => onChange([...urls, ''])}>
        Add website
      </Button>
    </Stack>
  );
}

/** One template field as a labelled control, its validation problem shown beneath it. */
export function FieldInput({ spec, value, errors, onChange }: FieldInputProps) {
  const error = errors[spec.key];
  switch (spec.kind) {
    case 'text':
      return (
        <TextInput
          label={spec.label}
          {...defined({
            description: spec.description,
            error,
            inputMode: spec.inputMode,
            styles: spec.mono === true ? MONO_INPUT_STYLES : undefined,
          })}
          value={text(value)}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
    case 'port':
      return (
        <TextInput
          label={spec.label}
          {...defined({ description: spec.description, error })}
          inputMode="numeric"
          value={text(value)}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
    case 'secret':
      return (
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <PasswordInput
            style={{ flex: 1 }}
            label={spec.label}
            {...defined({ description: spec.description, error, inputMode: spec.inputMode })}
            value={text(value)}
            autoComplete="new-password"
            visibilityToggleFocusable
            visibilityToggleButtonProps={{ 'aria-label': `Show ${spec.label}` }}
            onChange={(event) => onChange(event.currentTarget.value)}
          />
          {spec.generator && <GeneratorPopover fieldLabel={spec.label} onUse={onChange} />}
        </Group>
      );
    case 'pem':
      return (
        <Textarea
          label={spec.label}
          {...defined({ description: spec.description, error })}
          autosize
          minRows={2}
          maxRows={8}
          spellCheck={false}
          value={text(value)}
          styles={MONO_INPUT_STYLES}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
    case 'select':
      return (
        <Select
          label={spec.label}
          data={spec.options.map((option) => ({ ...option }))}
          value={text(value)}
          {...defined({ error })}
          allowDeselect={false}
          onChange={(next) => next !== null && onChange(next)}
        />
      );
    case 'switch':
      return (
        <Switch
          label={spec.label}
          {...defined({ description: spec.description, error })}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case 'urls':
      return <UrlsInput value={value} errors={errors} onChange={onChange} label={spec.label} />;
  }
}
