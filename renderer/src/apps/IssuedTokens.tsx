import { Alert, Button, Code, Group, Stack, Text, Title } from '@mantine/core';
import type { IssuedToken } from '../../../shared/client/index.ts';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { notifications } from '@mantine/notifications';
import { ciSnippet, initSnippet } from './snippets.ts';

/** Each new token, once, with copy buttons and the commands that use it. */
export function IssuedTokens(props: {
  readonly tokens: readonly IssuedToken[];
  readonly onDone: () => void;
}) {
  const copySecret = useApp((s) => s.copySecret);
  const clearSeconds = useApp((s) => s.settings.clipboardClearSeconds);
  async function copy(text: string, what: string) {
    try {
      await copySecret(text);
      notifications.show({ message: `${what} copied; the clipboard clears in ${clearSeconds} s.` });
    } catch (caught) {
      notifications.show({ color: 'red', message: describeError(caught) });
    }
  }
  return (
    <Stack gap="md">
      <Alert color="yellow" title="These tokens will not be shown again">
        Copy each one now and hand it to its device. Closing this dialog removes them from the app;
        if one is lost, revoke that device and add a new one.
      </Alert>
      <Stack gap="sm" role="list" aria-label="One-time tokens">
        {props.tokens.map(({ token, device }) => (
          <Stack key={device.id} gap={4} role="listitem" aria-label={`Token for ${device.name}`}>
            <Group justify="space-between" wrap="nowrap">
              <Text fw={500}>{device.name}</Text>
              <Button
                size="compact-sm"
                onClick={() => void copy(token, 'Token')}
                aria-label={`Copy token for ${device.name}`}
              >
                Copy token
              </Button>
            </Group>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {token}
            </Code>
          </Stack>
        ))}
      </Stack>
      <Snippet title="On the machine" text={initSnippet()} onCopy={copy} />
      <Snippet title="In CI (GitHub Actions)" text={ciSnippet()} onCopy={copy} />
      <Group justify="flex-end">
        <Button onClick={props.onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

function Snippet(props: {
  readonly title: string;
  readonly text: string;
  readonly onCopy: (text: string, what: string) => Promise<void>;
}) {
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Title order={5}>{props.title}</Title>
        <Button
          size="compact-sm"
          variant="default"
          onClick={() => void props.onCopy(props.text, 'Snippet')}
          aria-label={`Copy snippet: ${props.title}`}
        >
          Copy
        </Button>
      </Group>
      <Code block aria-label={props.title}>
        {props.text}
      </Code>
    </Stack>
  );
}
