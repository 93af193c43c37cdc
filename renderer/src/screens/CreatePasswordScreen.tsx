import { Alert, Button, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { CenteredCard } from '../app/CenteredCard.tsx';
import { describeError } from '../app/errors.ts';
import {
  CannotRecoverWarning,
  NewPasswordFields,
  useNewPasswordCheck,
} from '../app/NewPasswordFields.tsx';
import { useApp } from '../app/store-context.tsx';

/** First sign-in of a new user: the master password that will open the vault. */
export function CreatePasswordScreen() {
  const create = useApp((s) => s.createMasterPassword);
  const busy = useApp((s) => s.busy);
  const email = useApp((s) => s.user?.email ?? null);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { strength, ready } = useNewPasswordCheck(
    password,
    confirmation,
    email === null ? [] : [email],
  );

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
          <CannotRecoverWarning />
          {error !== null && <Alert color="red">{error}</Alert>}
          <NewPasswordFields
            label="Master password"
            password={password}
            confirmation={confirmation}
            strength={strength}
            onPasswordChange={setPassword}
            onConfirmationChange={setConfirmation}
            autoFocus
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
