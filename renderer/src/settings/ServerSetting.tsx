import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { CappedTextInput } from '../app/CappedInputs.tsx';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';
import { useReauth } from '../reauth/use-reauth.tsx';
import { parseServerUrl } from './server-url.ts';

type Step =
  | { readonly kind: 'show' }
  | { readonly kind: 'edit' }
  | { readonly kind: 'confirm'; readonly to: string };

/**
 * The server in Settings, and changing it while unlocked (LS-05): the new address, then old → new
 * side by side, then the master password; only then does the app sign out and go to the new
 * server's sign-in.
 */
export function ServerSetting() {
  const current = useApp((s) => s.settings.serverUrl);
  const switchServer = useApp((s) => s.switchServer);
  const reauth = useReauth();
  const [step, setStep] = useState<Step>({ kind: 'show' });
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  function review(event: FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    setError(null);
    try {
      const to = parseServerUrl(address);
      if (to === current) {
        setError('That is the server in use already.');
        return;
      }
      setStep({ kind: 'confirm', to });
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  async function change(to: string) {
    setError(null);
    if (!(await reauth.confirm(`Change the vault server to ${to}.`))) return;
    setWorking(true);
    try {
      await switchServer(to);
    } catch (caught) {
      setError(describeError(caught));
      setWorking(false);
    }
  }

  const cancel = () => {
    setStep({ kind: 'show' });
    setAddress('');
    setError(null);
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          Server: {current}
        </Text>
        {step.kind === 'show' && (
          <Button size="xs" variant="default" onClick={() => setStep({ kind: 'edit' })}>
            Change server…
          </Button>
        )}
      </Group>
      {step.kind === 'edit' && (
        <form onSubmit={review} aria-label="Change server">
          <Stack gap="xs">
            <CappedTextInput
              label="New server address"
              placeholder="https://vault.example.com"
              value={address}
              max={TEXT_MAX.serverUrl}
              onText={setAddress}
              data-autofocus
              required
            />
            <Group justify="flex-end" gap="xs">
              <Button size="xs" variant="default" onClick={cancel}>
                Cancel
              </Button>
              <Button size="xs" type="submit">
                Review change
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step.kind === 'confirm' && (
        <Stack gap="xs" role="group" aria-label="Confirm server change">
          <Text size="sm">
            From <strong>{current}</strong>
          </Text>
          <Text size="sm">
            To <strong>{step.to}</strong>
          </Text>
          <Text size="sm" c="dimmed">
            You will be signed out here and sign in at the new server.
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={cancel}>
              Cancel
            </Button>
            <Button size="xs" color="orange" loading={working} onClick={() => void change(step.to)}>
              Change server
            </Button>
          </Group>
        </Stack>
      )}
      {error !== null && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {reauth.dialog}
    </Stack>
  );
}
