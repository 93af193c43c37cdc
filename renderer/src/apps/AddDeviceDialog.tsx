import { Alert, Button, Group, Modal, NumberInput, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import {
  DEFAULT_FIRST_ACCESS_MINUTES,
  MAX_DEVICES_PER_ISSUE,
  MAX_FIRST_ACCESS_MINUTES,
  type ApplicationView,
} from '../../../shared/client/index.ts';
import type { IpRule } from '../../../shared/protocol/bodies.ts';
import { CappedTextInput, CappedTextarea } from '../app/CappedInputs.tsx';
import { describeError } from '../app/errors.ts';
import { useApp } from '../app/store-context.tsx';
import { digitsOf, TEXT_MAX } from '../app/text-limits.ts';
import { useReauth } from '../reauth/use-reauth.tsx';
import { deviceFormProblem, splitCidrs } from './device-form-check.ts';
import { IssuedTokens } from './IssuedTokens.tsx';

type RuleChoice = IpRule['type'];

/** The longest access expiry the form offers: ten years. */
const MAX_EXPIRY_DAYS = 3650;

const RULE_HELP: Record<RuleChoice, string> = {
  'first-use':
    'First use: the address that redeems the token is the only one allowed afterwards. Pick it ' +
    'for a server with a fixed address.',
  cidr:
    'CIDR allow-list: only these address ranges are allowed. Pick it for CI runners, whose ' +
    'addresses change within known ranges.',
  none: 'None: any address. Pick it only when neither of the others can work.',
};

/**
 * Issues one-time device tokens, then shows each one once. Closing the dialog drops the tokens
 * from the store (and with it from every component), so they cannot be shown again.
 */
export function AddDeviceDialog(props: {
  readonly app: ApplicationView;
  readonly onClose: () => void;
}) {
  const issued = useApp((s) => s.issuedTokens);
  const discard = useApp((s) => s.discardIssuedTokens);
  useEffect(() => discard, [discard]);
  const close = () => {
    discard();
    props.onClose();
  };
  return (
    <Modal
      opened
      onClose={close}
      title={issued === null ? `Add device to ${props.app.name}` : 'Device tokens'}
      size="xl"
      centered
      closeOnClickOutside={issued === null}
    >
      {issued === null ? (
        <DeviceForm app={props.app} onCancel={close} />
      ) : (
        <IssuedTokens tokens={issued} onDone={close} />
      )}
    </Modal>
  );
}

function DeviceForm(props: { readonly app: ApplicationView; readonly onCancel: () => void }) {
  const addDevices = useApp((s) => s.addDevices);
  const [name, setName] = useState('');
  const [count, setCount] = useState<number | string>(1);
  const [minutes, setMinutes] = useState<number | string>(DEFAULT_FIRST_ACCESS_MINUTES);
  const [expiryDays, setExpiryDays] = useState<number | string>('');
  const [rule, setRule] = useState<RuleChoice>('first-use');
  const [cidrs, setCidrs] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reauth = useReauth();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = deviceFormProblem({ name, rule, cidrs });
    setError(problem);
    if (problem !== null) return;
    // A token is a standing key to the app's folders: minting one needs the master password.
    if (!(await reauth.confirm(`Issue device tokens for ${props.app.name}.`))) return;
    setWorking(true);
    try {
      const ipRule: IpRule =
        rule === 'cidr'
          ? {
              type: 'cidr',
              allow: splitCidrs(cidrs),
            }
          : { type: rule };
      const days = typeof expiryDays === 'number' ? expiryDays : undefined;
      await addDevices(props.app.id, {
        name,
        count: Number(count),
        firstAccessMinutes: Number(minutes),
        accessExpiry:
          days === undefined ? undefined : Math.floor(Date.now() / 1000) + days * 86_400,
        ipRule,
      });
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setWorking(false);
    }
  }

  return (
    <>
      <form onSubmit={(event) => void submit(event)} aria-label="Add device">
        <Stack gap="md">
          <CappedTextInput
            label="Device name"
            description="Several devices are numbered: ci-runner-1, ci-runner-2…"
            value={name}
            max={TEXT_MAX.displayName}
            onText={setName}
            data-autofocus
            required
          />
          <Group grow align="flex-start">
            <NumberInput
              label="How many devices"
              value={count}
              onChange={setCount}
              min={1}
              max={MAX_DEVICES_PER_ISSUE}
              maxLength={digitsOf(MAX_DEVICES_PER_ISSUE)}
              allowDecimal={false}
            />
            <NumberInput
              label="First-access window (minutes)"
              description="The token must be redeemed within this time; at most 24 hours."
              value={minutes}
              onChange={setMinutes}
              min={1}
              max={MAX_FIRST_ACCESS_MINUTES}
              maxLength={digitsOf(MAX_FIRST_ACCESS_MINUTES)}
              allowDecimal={false}
            />
            <NumberInput
              label="Access expires after (days)"
              description="Leave empty for no expiry."
              value={expiryDays}
              onChange={setExpiryDays}
              min={1}
              max={MAX_EXPIRY_DAYS}
              maxLength={digitsOf(MAX_EXPIRY_DAYS)}
              allowDecimal={false}
            />
          </Group>
          <Radio.Group
            label="IP rule"
            value={rule}
            onChange={(value) => setRule(value as RuleChoice)}
          >
            <Group mt="xs">
              <Radio value="first-use" label="First use" />
              <Radio value="cidr" label="CIDR allow-list" />
              <Radio value="none" label="None" />
            </Group>
          </Radio.Group>
          <Text size="sm" c="dimmed">
            {RULE_HELP[rule]}
          </Text>
          {rule === 'cidr' && (
            <CappedTextarea
              label="Allowed address ranges"
              description="One per line, e.g. 203.0.113.0/24 or 2001:db8::/32."
              value={cidrs}
              max={TEXT_MAX.cidrList}
              onText={setCidrs}
              autosize
              minRows={2}
              required
            />
          )}
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={working}>
              Issue tokens
            </Button>
          </Group>
        </Stack>
      </form>
      {reauth.dialog}
    </>
  );
}
