import { Alert, Badge } from '@mantine/core';
import { useMemo } from 'react';
import {
  DEFAULT_PORTS,
  connectionString,
  type ApiKeyRecord,
  type DatabaseEngine,
  type DatabaseRecord,
  type LoginRecord,
  type PaymentCardRecord,
  type ServerRecord,
} from '../../../../shared/records/schema/index.ts';
import { messageOf } from '../errors.ts';
import {
  FieldList,
  FieldRow,
  LinkField,
  PlainField,
  SecretField,
  type CopyHandler,
  type OpenLinkHandler,
} from './fields.tsx';
import { OtpCode, type CopyTotpHandler } from './OtpCode.tsx';

export const ENGINE_LABELS: Readonly<Record<DatabaseEngine, string>> = {
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  sqlserver: 'SQL Server',
  oracle: 'Oracle',
  mongodb: 'MongoDB',
  redis: 'Redis',
};

export const PLATFORM_LABELS: Readonly<Record<ServerRecord['platform'], string>> = {
  linux: 'Linux',
  windows: 'Windows',
  macos: 'macOS',
  other: 'Other',
};

interface Handlers {
  readonly onCopy: CopyHandler;
  readonly onCopyTotp: CopyTotpHandler;
  readonly onOpenLink: OpenLinkHandler | undefined;
  readonly now: number | Date | undefined;
  readonly onAdvanceOtp: ((nextUri: string) => void) | undefined;
}

export function LoginBody({ record, ...h }: { readonly record: LoginRecord } & Handlers) {
  return (
    <FieldList>
      <PlainField label="Username" value={record.username} onCopy={h.onCopy} />
      <SecretField label="Password" value={record.password} onCopy={h.onCopy} />
      {record.urls.map((url, index) => (
        <LinkField
          key={index}
          label={record.urls.length === 1 ? 'Website' : `Website ${index + 1}`}
          value={url}
          onCopy={h.onCopy}
          onOpenLink={h.onOpenLink}
        />
      ))}
      {record.otp !== '' && (
        <OtpCode
          uri={record.otp}
          now={h.now}
          onCopyTotp={h.onCopyTotp}
          onAdvance={h.onAdvanceOtp}
        />
      )}
    </FieldList>
  );
}

function ConnectionString({
  record,
  onCopy,
}: {
  readonly record: DatabaseRecord;
  readonly onCopy: CopyHandler;
}) {
  const result = useMemo(() => {
    try {
      return { ok: true as const, value: connectionString(record) };
    } catch (error) {
      return { ok: false as const, message: messageOf(error) };
    }
  }, [record]);
  if (!result.ok) {
    return (
      <FieldRow label="Connection string">
        <Alert color="yellow" variant="light" p="xs">
          {result.message}
        </Alert>
      </FieldRow>
    );
  }
  // It embeds the password, so it is masked like one.
  return record.password === '' ? (
    <PlainField label="Connection string" value={result.value} onCopy={onCopy} mono />
  ) : (
    <SecretField label="Connection string" value={result.value} onCopy={onCopy} />
  );
}

export function DatabaseBody({
  record,
  onCopy,
}: {
  readonly record: DatabaseRecord;
  readonly onCopy: CopyHandler;
}) {
  const port = record.port ?? DEFAULT_PORTS[record.engine];
  return (
    <FieldList>
      <PlainField label="Engine" value={ENGINE_LABELS[record.engine]} />
      <PlainField label="Host" value={record.host} onCopy={onCopy} />
      <PlainField
        label="Port"
        value={record.port === undefined ? `${port} (default)` : String(port)}
      />
      <PlainField label="Database" value={record.database} onCopy={onCopy} />
      <PlainField label="Username" value={record.username} onCopy={onCopy} />
      <SecretField label="Password" value={record.password} onCopy={onCopy} />
      <FieldRow label="TLS">
        <Badge color={record.tls ? 'teal' : 'yellow'} variant="light">
          {record.tls ? 'Required, server verified' : 'Driver default'}
        </Badge>
      </FieldRow>
      <ConnectionString record={record} onCopy={onCopy} />
    </FieldList>
  );
}

export function ServerBody({
  record,
  onCopy,
}: {
  readonly record: ServerRecord;
  readonly onCopy: CopyHandler;
}) {
  return (
    <FieldList>
      <PlainField label="Platform" value={PLATFORM_LABELS[record.platform]} />
      <PlainField label="Host" value={record.host} onCopy={onCopy} />
      <PlainField label="Port" value={record.port === undefined ? '' : String(record.port)} />
      <PlainField label="Username" value={record.username} onCopy={onCopy} />
      <SecretField label="Password" value={record.password} onCopy={onCopy} />
    </FieldList>
  );
}

export function ApiKeyBody({
  record,
  onCopy,
  onOpenLink,
}: { readonly record: ApiKeyRecord } & Pick<Handlers, 'onCopy' | 'onOpenLink'>) {
  return (
    <FieldList>
      <PlainField label="Service" value={record.service} />
      <PlainField label="Key ID" value={record.keyId} onCopy={onCopy} mono />
      <SecretField label="Secret" value={record.secret} onCopy={onCopy} />
      <LinkField label="URL" value={record.url} onCopy={onCopy} onOpenLink={onOpenLink} />
    </FieldList>
  );
}

export function PaymentCardBody({
  record,
  onCopy,
}: {
  readonly record: PaymentCardRecord;
  readonly onCopy: CopyHandler;
}) {
  const expiry =
    record.expiryMonth === '' && record.expiryYear === ''
      ? ''
      : `${record.expiryMonth || '??'}/${record.expiryYear || '????'}`;
  return (
    <FieldList>
      <PlainField label="Cardholder" value={record.cardholder} onCopy={onCopy} />
      <PlainField label="Brand" value={record.brand} />
      <SecretField label="Card number" value={record.number} onCopy={onCopy} />
      <PlainField label="Expiry" value={expiry} onCopy={onCopy} />
      <SecretField label="Security code" value={record.securityCode} onCopy={onCopy} />
      <SecretField label="PIN" value={record.pin} onCopy={onCopy} />
    </FieldList>
  );
}

export function OneTimeCodeBody({ uri, ...h }: { readonly uri: string } & Handlers) {
  return (
    <FieldList>
      <OtpCode uri={uri} now={h.now} onCopyTotp={h.onCopyTotp} onAdvance={h.onAdvanceOtp} />
    </FieldList>
  );
}
