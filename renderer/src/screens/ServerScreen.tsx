import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { CappedTextInput } from '../app/CappedInputs.tsx';
import { CenteredCard } from '../app/CenteredCard.tsx';
import { describeError } from '../app/errors.ts';
import { useApp, usePlatform } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';
import { parseServerUrl } from '../settings/server-url.ts';
import { WEB_VAULT_SERVER_NOTE, webVaultCanUse } from '../settings/web-vault-server.ts';

/**
 * First launch: which vault server to use. The web build offers its own origin, the only
 * server it can reach, and says where to go for another one instead of failing on it.
 */
export function ServerScreen() {
  const platform = usePlatform();
  const chooseServer = useApp((s) => s.chooseServer);
  const busy = useApp((s) => s.busy);
  const notice = useApp((s) => s.notice);
  const [url, setUrl] = useState(() => platform.defaultServerUrl());
  const [error, setError] = useState<ReactNode>(null);
  const web = platform.kind === 'web';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      // The web build's default server is the origin that served it (browser-platform.ts).
      const own = platform.defaultServerUrl();
      const chosen = parseServerUrl(url);
      if (web && !webVaultCanUse(chosen, own)) {
        const only = `This web vault works only with the server it was opened from, ${own}.`;
        setError(
          <>
            {only} To use {chosen},{' '}
            <Anchor href={chosen} inherit>
              open that address
            </Anchor>{' '}
            in your browser.
          </>,
        );
        return;
      }
      await chooseServer(chosen);
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <CenteredCard
      title="Connect to your vault server"
      subtitle={
        web
          ? 'The address of the server this page came from is filled in: press Continue.'
          : 'Enter the address your administrator gave you.'
      }
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          {notice && (
            <Alert color="red" title="Sign-in did not complete">
              {notice.message}
            </Alert>
          )}
          <CappedTextInput
            label="Server address"
            placeholder="https://vault.example.com"
            value={url}
            max={TEXT_MAX.serverUrl}
            onText={setUrl}
            error={error}
            autoFocus
            required
          />
          <Button type="submit" loading={busy !== null}>
            Continue
          </Button>
          {web && (
            <Text size="sm" c="dimmed">
              {WEB_VAULT_SERVER_NOTE}
            </Text>
          )}
        </Stack>
      </form>
    </CenteredCard>
  );
}
