import { AppShell, Group, Title } from '@mantine/core';
import { assertNever } from '../../../shared/errors.ts';
import { AccountActions } from '../app/AccountActions.tsx';
import { useApp } from '../app/store-context.tsx';
import { AuditScreen } from '../audit/AuditScreen.tsx';
import { VaultScreen } from '../screens/VaultScreen.tsx';
import { SettingsWarning } from '../settings/SettingsWarning.tsx';
import { AppsScreen } from './AppsScreen.tsx';
import { MainNav } from './MainNav.tsx';

/** The unlocked app: the vault, or one of the admin areas under the same header. */
export function Workspace() {
  return (
    <>
      <View />
      <SettingsWarning />
    </>
  );
}

function View() {
  const view = useApp((s) => s.view);
  switch (view) {
    case 'vault':
      return <VaultScreen />;
    case 'apps':
      return (
        <AdminShell>
          <AppsScreen />
        </AdminShell>
      );
    case 'audit':
      return (
        <AdminShell>
          <AuditScreen />
        </AdminShell>
      );
    default:
      return assertNever(view, 'view');
  }
}

function AdminShell({ children }: { readonly children: React.ReactNode }) {
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Title order={1} size="h4">
              Coffer
            </Title>
            <MainNav />
          </Group>
          <AccountActions />
        </Group>
      </AppShell.Header>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
