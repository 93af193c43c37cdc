import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { describeError } from '../app/errors.ts';

/** Asks before something that cannot be undone; a failure stays in the dialog, readable. */
export function ConfirmDialog(props: {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}) {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setWorking(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setWorking(false);
    }
  }
  return (
    <Modal opened onClose={props.onClose} title={props.title} centered>
      <Stack gap="md">
        <Text size="sm">{props.message}</Text>
        {error !== null && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" loading={working} onClick={() => void confirm()}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
