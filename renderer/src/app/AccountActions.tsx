import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { SettingsDialog } from '../vault/SettingsDialog.tsx';
import { ChangePasswordDialog } from './ChangePasswordDialog.tsx';
import { SignOutButton } from './SignOutButton.tsx';
import { useApp } from './store-context.tsx';

/** The header's right side on every unlocked screen: who is signed in, Settings and Lock. */
export function AccountActions() {
  const lock = useApp((s) => s.lock);
  const email = useApp((s) => s.user?.email ?? '');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const changeMasterPassword = useApp((s) => s.changeMasterPassword);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" c="dimmed" visibleFrom="md">
        {email}
      </Text>
      <Button variant="default" onClick={() => setSettingsOpen(true)}>
        Settings
      </Button>
      <Button variant="default" onClick={() => setChangingPassword(true)}>
        Change password
      </Button>
      <Button variant="light" onClick={lock} title="Lock (Ctrl+L)">
        Lock
      </Button>
      <SignOutButton />
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {changingPassword && (
        <ChangePasswordDialog
          change={changeMasterPassword}
          userInputs={email === '' ? [] : [email]}
          onClose={() => setChangingPassword(false)}
        />
      )}
    </Group>
  );
}
