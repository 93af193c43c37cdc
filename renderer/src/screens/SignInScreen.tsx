import { Alert, Anchor, Button, Loader, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { CenteredCard } from '../app/CenteredCard.tsx';
import { describeError } from '../app/errors.ts';
import { useApp, usePlatform } from '../app/store-context.tsx';
import { WEB_VAULT_SERVER_NOTE } from '../settings/web-vault-server.ts';
import { providerLabels } from './provider-labels.ts';

export function SignInScreen() {
  const platform = usePlatform();
  const providers = useApp((s) => s.providers);
  const serverUrl = useApp((s) => s.settings.serverUrl);
  const startSignIn = useApp((s) => s.startSignIn);
  const changeServer = useApp((s) => s.changeServer);
  const busy = useApp((s) => s.busy);
  const phase = useApp((s) => s.phase);
  const [error, setError] = useState<string | null>(null);
  const labels = useMemo(() => providerLabels(providers), [providers]);

  if (phase === 'completing') {
    return (
      <CenteredCard title="Signing you in…">
        <Loader aria-label="Signing in" />
      </CenteredCard>
    );
  }

  return (
    <CenteredCard title="Sign in" subtitle={`Vault server: ${serverUrl}`}>
      <Stack gap="sm">
        {error !== null && (
          <Alert color="red" title="Sign-in failed">
            {error}
          </Alert>
        )}
        {providers.length === 0 && (
          <Text>This server offers no identity provider yet. Ask your administrator.</Text>
        )}
        {providers.map((provider) => (
          <Button
            key={provider.issuer}
            loading={busy !== null}
            onClick={() => {
              setError(null);
              startSignIn(provider.issuer).catch((caught: unknown) =>
                setError(describeError(caught)),
              );
            }}
          >
            Sign in with {labels.get(provider.issuer)}
          </Button>
        ))}
        <Text size="sm" c="dimmed">
          Your identity provider confirms who you are; your master password, which never leaves this
          device, opens the vault.
        </Text>
        {platform.kind === 'web' ? (
          // Another address could only fail on the page's policy: say how to get there instead.
          <Text size="sm" c="dimmed">
            {WEB_VAULT_SERVER_NOTE}
          </Text>
        ) : (
          <Anchor component="button" type="button" size="sm" onClick={changeServer}>
            Use a different server
          </Anchor>
        )}
      </Stack>
    </CenteredCard>
  );
}
