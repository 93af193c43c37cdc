import { AppShell, Button, Group, Title } from '@mantine/core';
import { useRef } from 'react';
import { AccountActions } from '../app/AccountActions.tsx';
import { CappedTextInput } from '../app/CappedInputs.tsx';
import { useApp } from '../app/store-context.tsx';
import { TEXT_MAX } from '../app/text-limits.ts';
import { MainNav } from '../apps/MainNav.tsx';
import { FolderTree } from '../vault/FolderTree.tsx';
import { RecordList } from '../vault/RecordList.tsx';
import { RecordPane } from '../vault/RecordPane.tsx';
import { isMac, shortcutHelp } from '../vault/record-shortcuts.ts';
import { useBackgroundSync } from '../vault/use-background-sync.ts';
import { useVaultShortcuts } from '../vault/use-vault-shortcuts.ts';

/** The unlocked vault: folders on the left, the record list, and the record pane. */
export function VaultScreen() {
  const query = useApp((s) => s.query);
  const setQuery = useApp((s) => s.setQuery);
  const setPaneMode = useApp((s) => s.setPaneMode);
  const hasFolders = useApp((s) => s.folders.length > 0);
  const search = useRef<HTMLInputElement>(null);

  useVaultShortcuts(search);
  useBackgroundSync();
  const shortcuts = shortcutHelp(isMac(navigator.platform))
    .map((h) => `${h.label}: ${h.keys}`)
    .join(' · ');

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 260, breakpoint: 0 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Title order={1} size="h4">
              Coffer
            </Title>
            <MainNav />
          </Group>
          <CappedTextInput
            ref={search}
            aria-label="Search records"
            title={shortcuts}
            placeholder="Search title, username, host, URL, notes"
            value={query}
            max={TEXT_MAX.search}
            onText={setQuery}
            w={340}
            type="search"
          />
          <AccountActions />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <FolderTree />
      </AppShell.Navbar>
      <AppShell.Main style={{ display: 'flex', height: '100vh' }}>
        <Group align="stretch" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
          <section
            aria-label="Record list"
            style={{ width: 340, display: 'flex', flexDirection: 'column', minHeight: 0 }}
          >
            <Button mb="xs" onClick={() => setPaneMode('create')} disabled={!hasFolders}>
              New record
            </Button>
            <RecordList />
          </section>
          <section aria-label="Record" style={{ flex: 1, minWidth: 0, overflow: 'auto' }}>
            <RecordPane />
          </section>
        </Group>
      </AppShell.Main>
    </AppShell>
  );
}
