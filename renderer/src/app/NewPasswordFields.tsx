import { Alert, Progress, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { estimateStrength, type StrengthResult } from '../../../shared/records/strength/index.ts';
import { CappedPasswordInput } from './CappedInputs.tsx';
import { TEXT_MAX } from './text-limits.ts';

const LABELS: Record<string, string> = {
  empty: 'Enter a password',
  'very-weak': 'Very weak',
  weak: 'Weak',
  fair: 'Fair',
  strong: 'Strong',
  'very-strong': 'Very strong',
};
const COLORS = ['red', 'red', 'orange', 'yellow', 'teal'] as const;

/** The weakest rating accepted for a master password: zxcvbn's 3 ("strong"). */
const MIN_SCORE = 3;

export interface NewPasswordCheck {
  readonly strength: StrengthResult;
  /** Strong enough, and the confirmation matches. */
  readonly ready: boolean;
}

/**
 * Rates a new master password; `userInputs` (the account's e-mail) count as guessable. Used by
 * every screen that sets a master password, so they all accept exactly the same ones.
 */
export function useNewPasswordCheck(
  password: string,
  confirmation: string,
  userInputs: readonly string[],
): NewPasswordCheck {
  const inputsKey = userInputs.join('\n');
  const strength = useMemo(
    () => estimateStrength(password, inputsKey === '' ? [] : inputsKey.split('\n')),
    [password, inputsKey],
  );
  return { strength, ready: strength.score >= MIN_SCORE && confirmation === password };
}

/**
 * The plain warning every new master password comes with (DESIGN.md "Identity and unlock" 5).
 * A note, not Mantine's default live alert: it is there from the start, and the screen's own
 * alert is then the only one a failure announces.
 */
export function CannotRecoverWarning() {
  return (
    <Alert color="orange" title="It cannot be recovered" role="note">
      Nobody — not your administrator, not Coffer — can reset or recover this password. If you
      forget it, everything in your vault is lost. Write it down somewhere safe.
    </Alert>
  );
}

export interface NewPasswordFieldsProps {
  readonly password: string;
  readonly confirmation: string;
  readonly strength: StrengthResult;
  readonly onPasswordChange: (value: string) => void;
  readonly onConfirmationChange: (value: string) => void;
  /** "Master password" when creating, "New master password" when changing. */
  readonly label: string;
  readonly autoFocus?: boolean;
}

/** A new master password: the field, its strength meter with advice, and the confirmation. */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const { password, confirmation, strength, label } = props;
  const mismatch = confirmation !== '' && confirmation !== password;
  return (
    <>
      <CappedPasswordInput
        label={label}
        value={password}
        max={TEXT_MAX.masterPassword}
        onText={props.onPasswordChange}
        autoComplete="new-password"
        autoFocus={props.autoFocus ?? false}
        required
      />
      <Stack gap={4}>
        <Progress
          value={password === '' ? 0 : ((strength.score + 1) / 5) * 100}
          color={COLORS[strength.score] ?? 'red'}
          aria-label="Password strength"
        />
        <Text size="sm" aria-live="polite">
          Strength: {LABELS[strength.label]}
          {strength.feedback.warning ? ` — ${strength.feedback.warning}` : ''}
        </Text>
        {password !== '' && strength.score < MIN_SCORE && (
          <Text size="sm" c="dimmed">
            {strength.feedback.suggestions[0] ??
              'Use a longer password: four or more unrelated words work well.'}
          </Text>
        )}
      </Stack>
      <CappedPasswordInput
        label={`Confirm ${label.charAt(0).toLowerCase()}${label.slice(1)}`}
        value={confirmation}
        max={TEXT_MAX.masterPassword}
        onText={props.onConfirmationChange}
        autoComplete="new-password"
        error={mismatch ? 'The two passwords differ.' : undefined}
        required
      />
    </>
  );
}
