import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import type { SettingsWarning as Warning } from './settings-auth.ts';

function Body({ warning }: { readonly warning: Warning }) {
  if (warning.kind === 'tampered') {
    return (
      <>
        <Text size="sm">
          They were changed outside Coffer, or saved without your vault’s protection. Auto-lock,
          clipboard clearing and the theme are back to their safe defaults.
        </Text>
        <Text size="sm" mt="xs">
          The vault server in use is <strong>{warning.serverUrl}</strong>: if you did not choose it,
          sign out now and change it.
        </Text>
      </>
    );
  }
  return (
    <Text size="sm">
      <strong>{warning.from}</strong> → <strong>{warning.to}</strong>. If you did not make this
      change, change the server back in Settings.
    </Text>
  );
}

const TITLES: Record<Warning['kind'], string> = {
  tampered: 'Your settings could not be verified',
  'server-changed': 'The vault server was changed while the vault was locked',
};

/**
 * What the check after unlock found wrong with the stored settings (LS-05), until the user keeps
 * the settings as they are now (signing them) or dismisses it for this session.
 */
export function SettingsWarning() {
  const warning = useApp((s) => s.settingsWarning);
  const keep = useApp((s) => s.keepSettings);
  const dismiss = useApp((s) => s.dismissSettingsWarning);
  if (warning === null) return null;
  return (
    <Alert
      color="orange"
      title={TITLES[warning.kind]}
      style={{
        position: 'fixed',
        top: 72,
        left: '50%',
        transform: 'translateX(-50%)',
        width: 'min(640px, calc(100vw - 32px))',
        // Above the app shell, below dialogs.
        zIndex: 150,
      }}
    >
      <Body warning={warning} />
      <Group mt="sm" gap="xs">
        <Button
          size="xs"
          onClick={() =>
            keep().catch((error: unknown) =>
              notifications.show({ color: 'red', message: describeError(error) }),
            )
          }
        >
          Keep these settings
        </Button>
        <Button size="xs" variant="default" onClick={dismiss}>
          Dismiss
        </Button>
      </Group>
    </Alert>
  );
}
