import { Button, Group, Menu } from '@mantine/core';
import { useState } from 'react';
import { SettingsDialog } from '../vault/SettingsDialog.tsx';
import { ChangePasswordDialog } from './ChangePasswordDialog.tsx';
import { useApp } from './store-context.tsx';

/**
 * The header's right side on every unlocked screen: Lock, which people reach for often, and an
 * Account menu for the rest. Four buttons and the e-mail address squeezed the search box to a
 * stub at 1280 px.
 */
export function AccountActions() {
  const lock = useApp((s) => s.lock);
  const signOut = useApp((s) => s.signOut);
  const email = useApp((s) => s.user?.email ?? '');
  const changeMasterPassword = useApp((s) => s.changeMasterPassword);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <Group gap="xs" wrap="nowrap">
      <Button variant="light" onClick={lock} title="Lock (Ctrl+L)">
        Lock
      </Button>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default">Account</Button>
        </Menu.Target>
        <Menu.Dropdown>
          {email !== '' && <Menu.Label>Signed in as {email}</Menu.Label>}
          <Menu.Item onClick={() => setSettingsOpen(true)}>Settings</Menu.Item>
          <Menu.Item onClick={() => setChangingPassword(true)}>Change password</Menu.Item>
          <Menu.Divider />
          {/* signOut locks first, so the keys are gone even when the server cannot be reached. */}
          <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
        </Menu.Dropdown>
      </Menu>
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
