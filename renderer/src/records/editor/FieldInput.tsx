import { ActionIcon, Button, Group, Select, Stack, Switch, Text } from '@mantine/core';
import { CappedPasswordInput, CappedTextInput, CappedTextarea } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
import { TrashIcon } from '../icons.tsx';
import { defined } from '../optional.ts';
import type { FieldErrors } from './draft.ts';
import { fieldMax } from './field-limits.ts';
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
          <CappedTextInput
            style={{ flex: 1 }}
            aria-label={`Website ${index + 1}`}
            placeholder="https://example.com"
            value={url}
            max={TEXT_MAX.url}
            {...defined({ error: errors[`urls[${index}]`] })}
            onText={(text) => {
              const next = [...urls];
              next[index] = text;
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
        <CappedTextInput
          label={spec.label}
          {...defined({
            description: spec.description,
            error,
            inputMode: spec.inputMode,
            styles: spec.mono === true ? MONO_INPUT_STYLES : undefined,
          })}
          value={text(value)}
          max={fieldMax(spec)}
          onText={onChange}
        />
      );
    case 'port':
      return (
        <CappedTextInput
          label={spec.label}
          {...defined({ description: spec.description, error })}
          inputMode="numeric"
          value={text(value)}
          max={fieldMax(spec)}
          onText={onChange}
        />
      );
    case 'secret':
      return (
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <CappedPasswordInput
            style={{ flex: 1 }}
            label={spec.label}
            {...defined({ description: spec.description, error, inputMode: spec.inputMode })}
            value={text(value)}
            max={fieldMax(spec)}
            autoComplete="new-password"
            visibilityToggleFocusable
            visibilityToggleButtonProps={{ 'aria-label': `Show ${spec.label}` }}
            onText={onChange}
          />
          {spec.generator && <GeneratorPopover fieldLabel={spec.label} onUse={onChange} />}
        </Group>
      );
    case 'pem':
      return (
        <CappedTextarea
          label={spec.label}
          {...defined({ description: spec.description, error })}
          autosize
          minRows={2}
          maxRows={8}
          spellCheck={false}
          value={text(value)}
          max={fieldMax(spec)}
          styles={MONO_INPUT_STYLES}
          onText={onChange}
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
