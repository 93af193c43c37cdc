import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { isCofferError } from '../../../shared/errors.ts';
import { CappedPasswordInput } from '../app/CappedInputs.tsx';
import { CenteredCard } from '../app/CenteredCard.tsx';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';

export function UnlockScreen() {
  const unlock = useApp((s) => s.unlock);
  const signOut = useApp((s) => s.signOut);
  const busy = useApp((s) => s.busy);
  const email = useApp((s) => s.user?.email ?? null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await unlock(password);
    } catch (caught) {
      setError(describeError(caught));
      if (isCofferError(caught, 'wrong_master_password')) {
        setPassword('');
        input.current?.focus();
      }
    } finally {
      // The typed password is not kept once it has been used.
      setPassword('');
    }
  }

  return (
    <CenteredCard
      title="Unlock your vault"
      {...(email === null ? {} : { subtitle: `Signed in as ${email}` })}
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <CappedPasswordInput
            ref={input}
            label="Master password"
            value={password}
            max={TEXT_MAX.masterPassword}
            onText={(text) => {
              setPassword(text);
              // What the last attempt said is about the password that was tried, not this one.
              setError(null);
            }}
            autoComplete="current-password"
            autoFocus
            required
          />
          <Button type="submit" loading={busy !== null}>
            Unlock
          </Button>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              The vault locks itself when idle.
            </Text>
            <Anchor component="button" type="button" size="sm" onClick={() => void signOut()}>
              Sign out
            </Anchor>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}
