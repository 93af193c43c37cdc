import { Badge, Button, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { DeviceView } from '../../../shared/client/index.ts';
import { useApp } from '../app/store-context.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { formatSeconds, formatTime, ipRuleLabel, stateColor, stateLabel } from './format.ts';

/** An application's devices: when made and used, from where, under which rule, and their state. */
export function DevicesTable(props: {
  readonly appId: string;
  readonly devices: readonly DeviceView[];
  readonly onError: (message: string | null) => void;
}) {
  const revokeDevice = useApp((s) => s.revokeDevice);
  const [revoking, setRevoking] = useState<DeviceView | null>(null);
  if (props.devices.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No devices yet. Add one to get a one-time token for <Code>coffer init</Code> on a server or
        CI runner.
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table aria-label="Devices" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>First access</Table.Th>
              <Table.Th>Last access</Table.Th>
              <Table.Th>IP</Table.Th>
              <Table.Th>IP rule</Table.Th>
              <Table.Th>Expiry</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.devices.map((device) => (
              <Table.Tr key={device.id}>
                <Table.Td>
                  {device.name}
                  <Text size="xs" c="dimmed" ff="monospace">
                    {device.shortId}
                  </Text>
                </Table.Td>
                <Table.Td>{formatTime(device.createdAt)}</Table.Td>
                <Table.Td>
                  {device.firstAccessAt === null
                    ? `Before ${formatSeconds(device.firstAccessDeadline)}`
                    : formatTime(device.firstAccessAt)}
                </Table.Td>
                <Table.Td>{formatTime(device.lastAccessAt)}</Table.Td>
                <Table.Td>{device.lastAddress ?? '—'}</Table.Td>
                <Table.Td>{ipRuleLabel(device.ipRule, device)}</Table.Td>
                <Table.Td>{formatSeconds(device.accessExpiry)}</Table.Td>
                <Table.Td>
                  <Badge color={stateColor(device.state)} variant="light">
                    {stateLabel(device.state)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {!device.revoked && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Revoke device ${device.name}`}
                      onClick={() => setRevoking(device)}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {revoking !== null && (
        <ConfirmDialog
          title={`Revoke device “${revoking.name}”?`}
          message={
            revoking.state === 'pending'
              ? 'Its token can no longer be redeemed.'
              : 'Its next request is refused and it wipes its offline cache. This cannot be undone.'
          }
          confirmLabel="Revoke device"
          onConfirm={async () => {
            props.onError(null);
            await revokeDevice(props.appId, revoking.id);
          }}
          onClose={() => setRevoking(null)}
        />
      )}
    </>
  );
}
