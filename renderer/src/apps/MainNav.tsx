import { Button, Group } from '@mantine/core';
import { useApp } from '../app/store-context.tsx';
import type { MainView } from '../state/admin-slice.ts';

const VIEWS: readonly { readonly view: MainView; readonly label: string }[] = [
  { view: 'vault', label: 'Vault' },
  { view: 'apps', label: 'Applications' },
  { view: 'audit', label: 'Audit log' },
];

/** Moves between the unlocked app's areas; the current one is marked for assistive technology. */
export function MainNav() {
  const current = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  return (
    <nav aria-label="Main">
      <Group gap={4} wrap="nowrap">
        {VIEWS.map(({ view, label }) => (
          <Button
            key={view}
            size="sm"
            variant={current === view ? 'filled' : 'subtle'}
            aria-current={current === view ? 'page' : undefined}
            onClick={() => setView(view)}
          >
            {label}
          </Button>
        ))}
      </Group>
    </nav>
  );
}
