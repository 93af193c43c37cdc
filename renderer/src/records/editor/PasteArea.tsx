import { CappedTextarea } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
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
    <CappedTextarea
      label={label}
      description={description}
      autosize
      minRows={3}
      maxRows={10}
      value={value}
      max={TEXT_MAX.pem}
      spellCheck={false}
      onText={onChange}
      styles={MONO_INPUT_STYLES}
    />
  );
}
