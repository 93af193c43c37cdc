import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { CenteredCard } from '../app/CenteredCard.tsx';
import { describeError } from '../app/errors.ts';
import { useApp, usePlatform } from '../app/store-context.tsx';

/** First launch: which vault server to use. The web build offers its own origin. */
export function ServerScreen() {
  const platform = usePlatform();
  const chooseServer = useApp((s) => s.chooseServer);
  const busy = useApp((s) => s.busy);
  const notice = useApp((s) => s.notice);
  const [url, setUrl] = useState(() => platform.defaultServerUrl());
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await chooseServer(url);
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <CenteredCard
      title="Connect to your vault server"
      subtitle="Enter the address your administrator gave you."
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          {notice && (
            <Alert color="red" title="Sign-in did not complete">
              {notice.message}
            </Alert>
          )}
          <TextInput
            label="Server address"
            placeholder="https://vault.example.com"
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
            error={error}
            autoFocus
            required
          />
          <Button type="submit" loading={busy !== null}>
            Continue
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
