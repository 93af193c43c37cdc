import { Textarea } from '@mantine/core';
import { MONO_INPUT_STYLES } from '../mono.ts';

export interface PasteAreaProps {
  readonly label: string;
  readonly description: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
}

/** A monospace box for pasting key or certificate text; no spell-check, which would ship it. */
export function PasteArea({ label, description, value, onChange }: PasteAreaProps) {
  return (
    <Textarea
      label={label}
      description={description}
      autosize
      minRows={3}
      maxRows={10}
      value={value}
      spellCheck={false}
      onChange={(event) => onChange(event.currentTarget.value)}
      styles={MONO_INPUT_STYLES}
    />
  );
}
