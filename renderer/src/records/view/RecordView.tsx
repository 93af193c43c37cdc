import { Group, Stack, Text, Title } from '@mantine/core';
import type { VaultRecord } from '../../../../shared/records/schema/index.ts';
import { assertNever } from '../../../../shared/errors.ts';
import { RecordTypeIcon, recordTypeLabel } from '../type-meta.tsx';
import { toMillis } from '../use-now.ts';
import { CertificateView } from './CertificateView.tsx';
import { CustomFieldsView } from './CustomFieldsView.tsx';
import { ValueText, type CopyHandler, type OpenLinkHandler } from './fields.tsx';
import type { CopyTotpHandler } from './OtpCode.tsx';
import { SshKeyView } from './SshKeyView.tsx';
import {
  ApiKeyBody,
  DatabaseBody,
  LoginBody,
  OneTimeCodeBody,
  PaymentCardBody,
  ServerBody,
} from './type-bodies.tsx';

export interface RecordViewProps {
  readonly record: VaultRecord;
  /**
   * The time codes and expiry badges are computed for. Leave it out to have one-time codes
   * follow the wall clock through an internal ticker.
   */
  readonly now?: number | Date;
  /** Copies a value; the shell owns the clipboard (auto-clear, history exclusion). */
  readonly onCopy: CopyHandler;
  readonly onCopyTotp: CopyTotpHandler;
  /** Opens a web link through the shell's gate; without it links are text to copy. */
  readonly onOpenLink?: OpenLinkHandler;
  /**
   * Saves a changed record. The view changes a record only to move a counter-based (HOTP)
   * code on after use; without this prop no "next code" button is offered.
   */
  readonly onRecordChange?: (record: VaultRecord) => void;
}

function advancer(
  record: VaultRecord,
  onRecordChange: RecordViewProps['onRecordChange'],
): ((nextUri: string) => void) | undefined {
  if (onRecordChange === undefined) return undefined;
  if (record.type === 'one-time-code') return (uri) => onRecordChange({ ...record, uri });
  if (record.type === 'login') return (otp) => onRecordChange({ ...record, otp });
  return undefined;
}

function Body({ record, now, onCopy, onCopyTotp, onOpenLink, onRecordChange }: RecordViewProps) {
  const onAdvanceOtp = advancer(record, onRecordChange);
  const handlers = { onCopy, onCopyTotp, onOpenLink, now, onAdvanceOtp };
  switch (record.type) {
    case 'login':
      return <LoginBody record={record} {...handlers} />;
    case 'database':
      return <DatabaseBody record={record} onCopy={onCopy} />;
    case 'server':
      return <ServerBody record={record} onCopy={onCopy} />;
    case 'ssh-key':
      return <SshKeyView record={record} onCopy={onCopy} />;
    case 'certificate':
      return (
        <CertificateView
          record={record}
          nowMs={now === undefined ? Date.now() : toMillis(now)}
          onCopy={onCopy}
        />
      );
    case 'api-key':
      return <ApiKeyBody record={record} onCopy={onCopy} onOpenLink={onOpenLink} />;
    case 'one-time-code':
      return <OneTimeCodeBody uri={record.uri} {...handlers} />;
    case 'payment-card':
      return <PaymentCardBody record={record} onCopy={onCopy} />;
    case 'secure-note':
      return null;
    default:
      return assertNever(record, 'record type');
  }
}

/**
 * A decrypted record, read-only, laid out for its type. Give each record its own React key
 * (its id) so nothing revealed on one record carries over to the next.
 */
export function RecordView(props: RecordViewProps) {
  const { record } = props;
  return (
    <Stack
      gap="md"
      component="article"
      aria-label={`${recordTypeLabel(record.type)}: ${record.title}`}
    >
      <Group gap="sm" wrap="nowrap">
        <RecordTypeIcon type={record.type} size={28} />
        <div style={{ minWidth: 0 }}>
          <Title order={2} size="h3" style={{ overflowWrap: 'anywhere' }}>
            {record.title}
          </Title>
          <Text size="sm" c="dimmed">
            {recordTypeLabel(record.type)}
          </Text>
        </div>
      </Group>
      <Body {...props} />
      <CustomFieldsView
        fields={record.customFields}
        onCopy={props.onCopy}
        onOpenLink={props.onOpenLink}
      />
      {record.notes !== '' && (
        <section aria-label="Notes">
          <Title order={3} size="h5" mb="xs">
            Notes
          </Title>
          <ValueText multiline>{record.notes}</ValueText>
        </section>
      )}
    </Stack>
  );
}
