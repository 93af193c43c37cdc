import { Alert, Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { isCofferError } from '../../../shared/errors.ts';
import { CappedPasswordInput } from './CappedInputs.tsx';
import { describeError } from './errors.ts';
import {
  CannotRecoverWarning,
  NewPasswordFields,
  useNewPasswordCheck,
} from './NewPasswordFields.tsx';
import { TEXT_MAX } from './text-limits.ts';
import { useMounted } from './use-mounted.ts';

export interface ChangePasswordDialogProps {
  /** Checks `current` and re-wraps the vault under `next`; rejects with a CofferError. */
  readonly change: (current: string, next: string) => Promise<void>;
  /** What the strength meter treats as guessable (the account's e-mail). */
  readonly userInputs: readonly string[];
  readonly onClose: () => void;
}

type Step = 'form' | 'working' | 'done';

/** Reasons the change stopped, worded for this dialog; anything else as everywhere else. */
function describeFailure(error: unknown): string {
  if (isCofferError(error, 'wrong_master_password')) {
    return 'The current master password is wrong. Nothing was changed.';
  }
  if (isCofferError(error, 'revision_conflict')) {
    return (
      'The master password was changed elsewhere meanwhile, so nothing was changed here. ' +
      'Lock, unlock with the newest password and try again.'
    );
  }
  return describeError(error);
}

/**
 * Changes the master password (issue #4). The current password is the re-authentication: the
 * change itself unwraps with it, so it costs one KDF run, not two. The passwords live only in
 * this component's state and inputs, and all three are emptied the moment the form is submitted,
 * whatever the outcome: no store, no log, no second copy. A failure says why and changes nothing.
 */
export function ChangePasswordDialog({ change, userInputs, onClose }: ChangePasswordDialogProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>('form');
  const { strength, ready } = useNewPasswordCheck(next, confirmation, userInputs);
  const currentInput = useRef<HTMLInputElement>(null);
  const mounted = useMounted();

  async function submit(event: FormEvent) {
    event.preventDefault();
    // React carries events up through portals: an enclosing form must not see this submit.
    event.stopPropagation();
    if (step !== 'form' || !ready || current === '') return;
    if (current === next) {
      setError('The new master password is the same as the current one.');
      return;
    }
    const typed = { current, next };
    setCurrent('');
    setNext('');
    setConfirmation('');
    setError(null);
    setStep('working');
    try {
      await change(typed.current, typed.next);
    } catch (caught) {
      if (mounted.current) {
        setError(describeFailure(caught));
        setStep('form');
        currentInput.current?.focus();
      }
      return;
    }
    if (mounted.current) setStep('done');
  }

  // The KDF cannot be interrupted; the dialog stays until it knows how the change ended.
  const closable = step !== 'working';
  return (
    <Modal
      opened
      onClose={closable ? onClose : () => undefined}
      closeOnEscape={closable}
      closeOnClickOutside={closable}
      withCloseButton={closable}
      title="Change master password"
      centered
    >
      {step === 'done' ? (
        <Stack gap="md">
          <Alert color="teal" role="status" title="Master password changed">
            Use the new master password the next time you unlock, on every device. Devices that are
            unlocked now stay unlocked.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <Stack gap="md">
            <CannotRecoverWarning />
            {error !== null && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <CappedPasswordInput
              ref={currentInput}
              label="Current master password"
              value={current}
              max={TEXT_MAX.masterPassword}
              onText={setCurrent}
              autoComplete="current-password"
              disabled={step === 'working'}
              data-autofocus
              required
            />
            <NewPasswordFields
              label="New master password"
              password={next}
              confirmation={confirmation}
              strength={strength}
              onPasswordChange={setNext}
              onConfirmationChange={setConfirmation}
            />
            {step === 'working' && (
              <Stack gap={4}>
                <Progress value={100} animated striped aria-label="Changing the master password" />
                <Text size="sm" c="dimmed" aria-live="polite">
                  Checking the current password and protecting your vault with the new one…
                </Text>
              </Stack>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={!closable}>
                Cancel
              </Button>
              <Button type="submit" disabled={!ready || current === ''} loading={!closable}>
                Change password
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
