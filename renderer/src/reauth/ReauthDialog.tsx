import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { CappedPasswordInput } from '../app/CappedInputs.tsx';
import { describeError } from '../app/errors.ts';
import { TEXT_MAX } from '../app/text-limits.ts';
import { useMounted } from '../app/use-mounted.ts';

export interface ReauthDialogProps {
  /** What the password is for, in a sentence: "Issue device tokens for CI." */
  readonly action: string;
  /** Checks the password; rejects with `wrong_master_password` or `rate_limited`. */
  readonly verify: (password: string) => Promise<void>;
  readonly onConfirmed: () => void;
  readonly onCancel: () => void;
}

/**
 * Asks for the master password again before a dangerous action (SECURITY-CASES LS-05). The
 * password lives only in this component's state and the input, and both are emptied the moment
 * it is submitted: no store, no log, no second copy. A wrong password says so and changes
 * nothing; the caller's action runs only after `onConfirmed`.
 */
export function ReauthDialog({ action, verify, onConfirmed, onCancel }: ReauthDialogProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const mounted = useMounted();

  async function submit(event: FormEvent) {
    event.preventDefault();
    // React carries events up through portals: an enclosing form must not see this submit.
    event.stopPropagation();
    if (working) return;
    const typed = password;
    setPassword('');
    setError(null);
    setWorking(true);
    try {
      await verify(typed);
    } catch (caught) {
      if (mounted.current) {
        setError(describeError(caught));
        setWorking(false);
        input.current?.focus();
      }
      return;
    }
    if (mounted.current) setWorking(false);
    onConfirmed();
  }

  return (
    <Modal opened onClose={onCancel} title="Confirm with your master password" centered>
      <form onSubmit={(event) => void submit(event)}>
        <Stack gap="md">
          <Text size="sm">{action}</Text>
          <CappedPasswordInput
            ref={input}
            label="Master password"
            value={password}
            max={TEXT_MAX.masterPassword}
            onText={setPassword}
            autoComplete="current-password"
            data-autofocus
            required
          />
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={working}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
