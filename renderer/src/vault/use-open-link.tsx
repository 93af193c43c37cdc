import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useState, type ReactNode } from 'react';
import { describeError } from '../app/errors.ts';
import { usePlatform } from '../app/store-context.tsx';

export interface OpenLink {
  /** Asks about `url` first; opens it through the platform only if the user says so. */
  readonly open: (url: string) => void;
  /** The question while one is open; render it once where the hook is used. */
  readonly dialog: ReactNode;
}

/**
 * "Open" on a record's URL (issue #4, EL-05): the URL is shown in full, as the parser reads it
 * (a look-alike host shows as its xn-- form, hidden characters as percent escapes), and only
 * after a confirmation is that exact string handed to the platform — a new tab without opener or
 * referrer in the web build, main's external-link gate (https only) in Electron.
 */
export function useOpenLink(): OpenLink {
  const platform = usePlatform();
  const [asked, setAsked] = useState<string | null>(null);

  const open = useCallback((raw: string) => {
    let href: string;
    try {
      href = new URL(raw).href;
    } catch {
      notifications.show({ color: 'red', message: 'This is not a link that can be opened.' });
      return;
    }
    setAsked(href);
  }, []);

  const confirm = (href: string) => {
    setAsked(null);
    platform
      .openLink(href)
      .catch((error: unknown) =>
        notifications.show({ color: 'red', message: describeError(error) }),
      );
  };

  const dialog =
    asked === null ? null : (
      <Modal opened onClose={() => setAsked(null)} title="Open this link?" centered>
        <Stack gap="md">
          <Text size="sm">It opens in your browser, outside Coffer:</Text>
          <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
            {asked}
          </Code>
          {asked.startsWith('http:') && (
            <Text size="sm" c="orange">
              This link is not encrypted (http).
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsked(null)} data-autofocus>
              Cancel
            </Button>
            <Button onClick={() => confirm(asked)}>Open link</Button>
          </Group>
        </Stack>
      </Modal>
    );
  return { open, dialog };
}
