import {
  ActionIcon,
  Button,
  Checkbox,
  Code,
  Group,
  NumberInput,
  Popover,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import {
  CHARACTER_CLASSES,
  MAX_PASSPHRASE_WORDS,
  MAX_PASSWORD_LENGTH,
  MIN_PASSPHRASE_WORDS,
  MIN_PASSWORD_LENGTH,
  generatePassphrase,
  generatePassword,
  type CharacterClass,
  type GeneratedSecret,
} from '../../../../shared/records/generator/index.ts';
import { CappedTextInput } from '../../app/CappedInputs.tsx';
import { digitsOf, TEXT_MAX } from '../../app/text-limits.ts';
import { messageOf } from '../errors.ts';
import { DiceIcon } from '../icons.tsx';

const CLASS_LABELS: Readonly<Record<CharacterClass, string>> = {
  lower: 'Lowercase letters',
  upper: 'Uppercase letters',
  digits: 'Digits',
  symbols: 'Symbols',
};

interface ClassOption {
  readonly include: boolean;
  readonly min: number;
}

interface GeneratorState {
  readonly mode: 'password' | 'passphrase';
  readonly length: number;
  readonly classes: Readonly<Record<CharacterClass, ClassOption>>;
  readonly avoidLookAlikes: boolean;
  readonly words: number;
  readonly separator: string;
  readonly capitalize: boolean;
  readonly includeNumber: boolean;
}

const INITIAL: GeneratorState = {
  mode: 'password',
  length: 20,
  classes: {
    lower: { include: true, min: 1 },
    upper: { include: true, min: 1 },
    digits: { include: true, min: 1 },
    symbols: { include: true, min: 1 },
  },
  avoidLookAlikes: false,
  words: 6,
  separator: '-',
  capitalize: false,
  includeNumber: false,
};

type Outcome = { ok: true; secret: GeneratedSecret } | { ok: false; message: string };

function generate(state: GeneratorState): Outcome {
  try {
    if (state.mode === 'passphrase') {
      return {
        ok: true,
        secret: generatePassphrase({
          words: state.words,
          separator: state.separator,
          capitalize: state.capitalize,
          includeNumber: state.includeNumber,
        }),
      };
    }
    return {
      ok: true,
      secret: generatePassword({
        length: state.length,
        ...state.classes,
        avoidLookAlikes: state.avoidLookAlikes,
      }),
    };
  } catch (error) {
    return { ok: false, message: messageOf(error, 'These options cannot make a password.') };
  }
}

function asInt(value: string | number, fallback: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

interface GeneratorPanelProps {
  readonly onUse: (value: string) => void;
}

/** The generator's options and a live preview; every option change draws a new value. */
function GeneratorPanel({ onUse }: GeneratorPanelProps) {
  const [state, setState] = useState<GeneratorState>(INITIAL);
  const [round, setRound] = useState(0);
  // `round` forces a fresh draw for "Regenerate" with unchanged options.
  const outcome = useMemo(() => generate(state), [state, round]);
  const set = (patch: Partial<GeneratorState>) => setState((prev) => ({ ...prev, ...patch }));
  const setClass = (name: CharacterClass, patch: Partial<ClassOption>) =>
    setState((prev) => ({
      ...prev,
      classes: { ...prev.classes, [name]: { ...prev.classes[name], ...patch } },
    }));
  const noun = state.mode === 'password' ? 'password' : 'passphrase';
  return (
    <Stack gap="sm" w={360}>
      <SegmentedControl
        aria-label="Generator mode"
        value={state.mode}
        onChange={(mode) => set({ mode: mode === 'passphrase' ? 'passphrase' : 'password' })}
        data={[
          { value: 'password', label: 'Password' },
          { value: 'passphrase', label: 'Passphrase' },
        ]}
      />
      {state.mode === 'password' ? (
        <>
          <NumberInput
            label="Length"
            min={MIN_PASSWORD_LENGTH}
            max={MAX_PASSWORD_LENGTH}
            maxLength={digitsOf(MAX_PASSWORD_LENGTH)}
            value={state.length}
            onChange={(value) => set({ length: asInt(value, state.length) })}
          />
          <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
            {CHARACTER_CLASSES.map((name) => (
              <Stack key={name} gap={4}>
                <Checkbox
                  label={CLASS_LABELS[name]}
                  checked={state.classes[name].include}
                  onChange={(event) => setClass(name, { include: event.currentTarget.checked })}
                />
                <NumberInput
                  size="xs"
                  label={`Minimum ${CLASS_LABELS[name].toLowerCase()}`}
                  min={0}
                  max={MAX_PASSWORD_LENGTH}
                  maxLength={digitsOf(MAX_PASSWORD_LENGTH)}
                  disabled={!state.classes[name].include}
                  value={state.classes[name].min}
                  onChange={(value) => setClass(name, { min: asInt(value, 0) })}
                />
              </Stack>
            ))}
          </SimpleGrid>
          <Checkbox
            label="Avoid look-alike characters (I l 1 | O 0 o)"
            checked={state.avoidLookAlikes}
            onChange={(event) => set({ avoidLookAlikes: event.currentTarget.checked })}
          />
        </>
      ) : (
        <>
          <NumberInput
            label="Words"
            min={MIN_PASSPHRASE_WORDS}
            max={MAX_PASSPHRASE_WORDS}
            maxLength={digitsOf(MAX_PASSPHRASE_WORDS)}
            value={state.words}
            onChange={(value) => set({ words: asInt(value, state.words) })}
          />
          <CappedTextInput
            label="Separator"
            value={state.separator}
            max={TEXT_MAX.separator}
            onText={(separator) => set({ separator })}
          />
          <Checkbox
            label="Capitalize words"
            checked={state.capitalize}
            onChange={(event) => set({ capitalize: event.currentTarget.checked })}
          />
          <Checkbox
            label="Include a number"
            checked={state.includeNumber}
            onChange={(event) => set({ includeNumber: event.currentTarget.checked })}
          />
        </>
      )}
      {outcome.ok ? (
        <>
          <Code
            block
            aria-label={`Generated ${noun}`}
            style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
          >
            {outcome.secret.value}
          </Code>
          <Text size="xs" c="dimmed">
            About {Math.floor(outcome.secret.entropyBits)} bits of entropy
          </Text>
        </>
      ) : (
        <Text size="sm" c="red" role="alert">
          {outcome.message}
        </Text>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={() => setRound((n) => n + 1)}>
          Regenerate
        </Button>
        {/* The visible label is the name: the dialog around it already names the field. */}
        <Button disabled={!outcome.ok} onClick={() => outcome.ok && onUse(outcome.secret.value)}>
          Use {noun}
        </Button>
      </Group>
    </Stack>
  );
}

interface GeneratorPopoverProps {
  readonly fieldLabel: string;
  readonly onUse: (value: string) => void;
}

/** The generator button beside a secret field; the chosen value replaces the field's value. */
export function GeneratorPopover({ fieldLabel, onUse }: GeneratorPopoverProps) {
  const [opened, setOpened] = useState(false);
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      // The secret fields sit low in a tall form at the window's right edge: beside the button,
      // shifted and capped to the viewport, the panel stays whole at 1280×800.
      position="left"
      middlewares={{ flip: true, shift: { padding: 8 }, size: { padding: 8 } }}
      withArrow
      trapFocus
      returnFocus
      shadow="md"
    >
      <Popover.Target>
        <Tooltip label="Generate" position="top-end" disabled={opened} withinPortal>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={`Generate ${fieldLabel}`}
            aria-expanded={opened}
            onClick={() => setOpened((open) => !open)}
          >
            <DiceIcon />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown
        role="dialog"
        aria-label={`Generate ${fieldLabel}`}
        style={{ overflowY: 'auto' }}
      >
        {opened && (
          <GeneratorPanel
            onUse={(value) => {
              onUse(value);
              setOpened(false);
            }}
          />
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
