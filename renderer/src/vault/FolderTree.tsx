import {
  ActionIcon,
  Button,
  Group,
  Menu,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import type { FolderNode } from '../../../shared/client/index.ts';
import { useApp } from '../app/store-context.tsx';
import { DeleteFolderDialog, FolderNameDialog } from './FolderDialogs.tsx';

type Dialog =
  | { kind: 'create'; parentId: string | null }
  | { kind: 'rename'; folder: FolderNode }
  | { kind: 'delete'; folder: FolderNode };

function childrenOf(folders: readonly FolderNode[]): Map<string | null, FolderNode[]> {
  const map = new Map<string | null, FolderNode[]>();
  for (const folder of folders) {
    const list = map.get(folder.parentId) ?? [];
    list.push(folder);
    map.set(folder.parentId, list);
  }
  for (const list of map.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return map;
}

/** The folder tree: select to filter the list; create, rename, nest and delete from each menu. */
export function FolderTree() {
  const folders = useApp((s) => s.folders);
  const selected = useApp((s) => s.selectedFolderId);
  const select = useApp((s) => s.selectFolder);
  const createFolder = useApp((s) => s.createFolder);
  const renameFolder = useApp((s) => s.renameFolder);
  const deleteFolder = useApp((s) => s.deleteFolder);
  const client = useApp((s) => s.client);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const tree = useMemo(() => childrenOf(folders), [folders]);

  function item(label: string, id: string | null, menu: ReactNode, depth: number) {
    const active = selected === id;
    return (
      <Group
        gap={4}
        wrap="nowrap"
        pl={depth * 14}
        style={{
          borderRadius: 'var(--mantine-radius-sm)',
          background: active ? 'var(--mantine-primary-color-light)' : undefined,
        }}
      >
        <UnstyledButton
          onClick={() => select(id)}
          aria-current={active ? 'true' : undefined}
          aria-label={id === null ? label : `Folder ${label}`}
          px="xs"
          py={6}
          style={{ flex: 1, minWidth: 0 }}
        >
          <Text size="sm" truncate fw={active ? 600 : 400}>
            {label}
          </Text>
        </UnstyledButton>
        {menu}
      </Group>
    );
  }

  function branch(parentId: string | null, depth: number): ReactNode {
    const kids = tree.get(parentId) ?? [];
    if (kids.length === 0) return null;
    return (
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {kids.map((folder) => (
          <li key={folder.id}>
            {item(
              folder.name,
              folder.id,
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    aria-label={`Actions for folder ${folder.name}`}
                  >
                    ⋯
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => setDialog({ kind: 'create', parentId: folder.id })}>
                    New sub-folder
                  </Menu.Item>
                  <Menu.Item onClick={() => setDialog({ kind: 'rename', folder })}>
                    Rename
                  </Menu.Item>
                  <Menu.Item color="red" onClick={() => setDialog({ kind: 'delete', folder })}>
                    Delete
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>,
              depth,
            )}
            {branch(folder.id, depth + 1)}
          </li>
        ))}
      </ul>
    );
  }

  return (
    <Stack gap="xs" h="100%">
      <Button variant="light" onClick={() => setDialog({ kind: 'create', parentId: null })}>
        New folder
      </Button>
      <ScrollArea style={{ flex: 1 }}>
        <nav aria-label="Folders">
          {item('All records', null, null, 0)}
          {branch(null, 0)}
        </nav>
        {folders.length === 0 && (
          <Text size="sm" c="dimmed" p="sm">
            No folders yet. Create one — for example “Production” — to start adding records.
          </Text>
        )}
      </ScrollArea>
      {dialog?.kind === 'create' && (
        <FolderNameDialog
          title={dialog.parentId === null ? 'New folder' : 'New sub-folder'}
          initialName=""
          submitLabel="Create"
          onSubmit={async (name) => {
            const id = await createFolder(name, dialog.parentId);
            select(id);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'rename' && (
        <FolderNameDialog
          title="Rename folder"
          initialName={dialog.folder.name}
          submitLabel="Rename"
          onSubmit={(name) => renameFolder(dialog.folder.id, name)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'delete' && client !== null && (
        <DeleteFolderDialog
          name={dialog.folder.name}
          impact={client.folderDeletionImpact(dialog.folder.id)}
          root={{
            id: dialog.folder.rootId,
            topLevel: dialog.folder.parentId === null,
            name: folders.find((f) => f.id === dialog.folder.rootId)?.name,
          }}
          onConfirm={() => deleteFolder(dialog.folder.id)}
          onClose={() => setDialog(null)}
        />
      )}
    </Stack>
  );
}
