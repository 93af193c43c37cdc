import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { AuditCheck, ChainHead } from '../../../shared/client/index.ts';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { formatTime } from '../apps/format.ts';
import { loadVerifiedHead, saveVerifiedHead } from './verified-head.ts';

const PROBLEMS: Record<string, string> = {
  missing_row: 'an event is missing',
  broken_link: 'an event does not follow the one before it',
  hash_mismatch: 'an event was altered',
  head_mismatch: 'the newest events were cut off',
};

/**
 * Verifies the chain at the server and compares it with the head verified last time; a log that
 * changed since is reported and its new head is not remembered until the admin accepts it.
 */
export function VerifyPanel(props: {
  readonly check: (remembered: ChainHead | null) => Promise<AuditCheck>;
}) {
  const server = useApp((s) => s.client?.session.api.baseUrl ?? '');
  const [result, setResult] = useState<AuditCheck | null>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const storage = globalThis.localStorage;
  const remembered = loadVerifiedHead(storage, server);

  async function verify() {
    setWorking(true);
    setError(null);
    try {
      const checked = await props.check(remembered);
      setResult(checked);
      if (checked.status === 'first' || checked.status === 'consistent') {
        saveVerifiedHead(storage, server, checked.head, Date.now());
      }
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setWorking(false);
    }
  }

  return (
    <Stack gap="xs" component="section" aria-label="Chain verification">
      <Group gap="sm">
        <Button onClick={() => void verify()} loading={working}>
          Verify chain
        </Button>
        <Text size="sm" c="dimmed">
          {remembered === null
            ? 'Not verified from this app yet.'
            : `Last verified up to event #${remembered.seq} ` +
              `on ${formatTime(remembered.verifiedAt)}.`}
        </Text>
      </Group>
      {error !== null && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {result?.status === 'broken' && !result.verification.ok && (
        <Alert color="red" role="alert" title="The audit chain is broken">
          At event #{result.verification.seq}{' '}
          {PROBLEMS[result.verification.problem] ?? result.verification.problem}.
        </Alert>
      )}
      {result?.status === 'changed' && (
        <Alert color="red" role="alert" title="The log changed since you last verified it">
          The events up to #{remembered?.seq ?? 0} are no longer the ones verified then: history was
          rewritten or removed. The chain as it is now verifies on its own.
          <Group mt="xs">
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                saveVerifiedHead(storage, server, result.head, Date.now());
                setResult(null);
              }}
            >
              Trust the log as it is now
            </Button>
          </Group>
        </Alert>
      )}
      {(result?.status === 'first' || result?.status === 'consistent') && (
        <Alert color="teal" role="status" title="Chain verified">
          {result.verification.ok ? `${result.verification.count} events verified` : ''}
          {result.status === 'consistent'
            ? '; consistent with the last verification.'
            : '; this head is remembered for the next check.'}
        </Alert>
      )}
    </Stack>
  );
}
