import { Alert, Button, PasswordInput, Progress, Stack, Text } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { estimateStrength } from '../../../shared/records/strength/index.ts';
import { CenteredCard } from '../app/CenteredCard.tsx';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';

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

/** First sign-in of a new user: the master password that will open the vault. */
export function CreatePasswordScreen() {
  const create = useApp((s) => s.createMasterPassword);
  const busy = useApp((s) => s.busy);
  const email = useApp((s) => s.user?.email ?? null);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const strength = useMemo(
    () => estimateStrength(password, email === null ? [] : [email]),
    [password, email],
  );
  const mismatch = confirmation !== '' && confirmation !== password;
  const ready = strength.score >= MIN_SCORE && confirmation === password;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setError(null);
    try {
      await create(password);
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <CenteredCard
      title="Create your master password"
      subtitle="It encrypts your vault on this device. Coffer never sees it."
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          <Alert color="orange" title="It cannot be recovered">
            Nobody — not your administrator, not Coffer — can reset or recover this password. If you
            forget it, everything in your vault is lost. Write it down somewhere safe.
          </Alert>
          {error !== null && <Alert color="red">{error}</Alert>}
          <PasswordInput
            label="Master password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            autoComplete="new-password"
            autoFocus
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
          <PasswordInput
            label="Confirm master password"
            value={confirmation}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
            autoComplete="new-password"
            error={mismatch ? 'The two passwords differ.' : undefined}
            required
          />
          <Button type="submit" disabled={!ready} loading={busy !== null}>
            Create vault
          </Button>
          {busy !== null && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {busy}
            </Text>
          )}
        </Stack>
      </form>
    </CenteredCard>
  );
}
