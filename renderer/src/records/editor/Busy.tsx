import { Group, Loader, Text } from '@mantine/core';

/** Progress for long work; a live region so screen readers hear that work has started. */
export function Busy({ label }: { readonly label: string }) {
  return (
    <Group gap="xs" role="status" aria-live="polite">
      <Loader size="xs" />
      <Text size="sm">{label}</Text>
    </Group>
  );
}
