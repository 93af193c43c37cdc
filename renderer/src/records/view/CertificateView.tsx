import { Alert, Badge, Card, Group, List, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  importCertificate,
  validityAt,
  type CertificateImport,
  type CertificateValidity,
  type ChainEntry,
} from '../../../../shared/records/cert/index.ts';
import type { CertificateRecord } from '../../../../shared/records/schema/index.ts';
import { codeOf, messageOf } from '../errors.ts';
import {
  CopyAction,
  FieldList,
  FieldRow,
  PlainField,
  SecretField,
  type CopyHandler,
} from './fields.tsx';

function pemSummary(pem: string): string {
  const count = pem.match(/-----BEGIN [A-Z0-9 ]*CERTIFICATE-----/g)?.length ?? 0;
  return count === 1 ? '1 certificate' : `${count} certificates`;
}

type Stored = Pick<CertificateRecord, 'certificateChain' | 'privateKey' | 'passphrase'>;

type ParseState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly result: CertificateImport; readonly keyChecked: boolean }
  | { readonly status: 'error'; readonly message: string };

/**
 * Parses the stored chain, with the private key when one is stored so the key/certificate match
 * can be shown. A key that needs a passphrase not on record still leaves the chain readable.
 */
async function parse(stored: Stored): Promise<ParseState> {
  const chain = stored.certificateChain;
  const passphrase = stored.passphrase === '' ? {} : { passphrase: stored.passphrase };
  if (stored.privateKey.trim() !== '') {
    try {
      const result = await importCertificate(`${chain}\n${stored.privateKey}`, passphrase);
      return { status: 'ready', result, keyChecked: true };
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'wrong_passphrase' && code !== 'passphrase_required' && code !== 'key_malformed')
        throw error;
    }
  }
  return { status: 'ready', result: await importCertificate(chain), keyChecked: false };
}

export function ValidityBadge({ validity }: { readonly validity: CertificateValidity }) {
  switch (validity.state) {
    case 'expired':
      return <Badge color="red">Expired {-validity.daysLeft} days ago</Badge>;
    case 'expiring':
      return <Badge color="orange">Expires in {validity.daysLeft} days</Badge>;
    case 'not_yet_valid':
      return <Badge color="grape">Not yet valid</Badge>;
    case 'valid':
      return <Badge color="green">Valid, {validity.daysLeft} days left</Badge>;
  }
}

function day(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

function ChainCard({
  entry,
  index,
  total,
  nowMs,
  onCopy,
}: {
  readonly entry: ChainEntry;
  readonly index: number;
  readonly total: number;
  readonly nowMs: number;
  readonly onCopy: CopyHandler;
}) {
  const cert = entry.certificate;
  const role = index === 0 ? 'Certificate' : cert.selfIssued ? 'Root' : 'Issuer';
  const heading = `${role} ${index + 1} of ${total}`;
  const headingId = `cert-${index}-heading`;
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600} id={headingId}>
          {heading}
        </Text>
        <ValidityBadge validity={validityAt(cert, new Date(nowMs))} />
      </Group>
      <FieldList>
        <PlainField label="Subject" value={cert.subject} onCopy={onCopy} />
        <PlainField label="Issuer" value={cert.issuer} />
        {cert.subjectAltNames.length > 0 && (
          <div>
            <Text component="dt" size="xs" c="dimmed" fw={500}>
              Subject alternative names
            </Text>
            <dd style={{ margin: 0 }}>
              <List
                size="sm"
                aria-label={`Subject alternative names of ${role.toLowerCase()} ${index + 1}`}
              >
                {cert.subjectAltNames.map((san, i) => (
                  <List.Item key={i}>{`${san.type.toUpperCase()}: ${san.value}`}</List.Item>
                ))}
              </List>
            </dd>
          </div>
        )}
        <PlainField label="Valid from" value={day(cert.notBefore)} />
        <PlainField label="Valid until" value={day(cert.notAfter)} />
        <PlainField label="Serial number" value={cert.serialNumber} mono />
        <PlainField
          label="SHA-256 fingerprint"
          value={cert.sha256Fingerprint}
          onCopy={onCopy}
          mono
        />
        {entry.signature === 'invalid' && (
          <Alert color="red" variant="light">
            The signature does not verify with the issuer&apos;s key.
          </Alert>
        )}
      </FieldList>
    </Card>
  );
}

interface CertificateViewProps {
  readonly record: CertificateRecord;
  readonly nowMs: number;
  readonly onCopy: CopyHandler;
}

export function CertificateView({ record, nowMs, onCopy }: CertificateViewProps) {
  const [state, setState] = useState<ParseState>({ status: 'loading' });
  const { certificateChain, privateKey, passphrase } = record;
  // Keyed on the stored text, not the record object: a shell that rebuilds record objects on
  // every render must not restart the parse.
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    if (certificateChain.trim() === '') {
      setState({ status: 'error', message: 'No certificate is stored in this record.' });
      return undefined;
    }
    parse({ certificateChain, privateKey, passphrase }).then(
      (next) => live && setState(next),
      (error: unknown) =>
        live &&
        setState({
          status: 'error',
          message: messageOf(error, 'The certificate is unreadable.'),
        }),
    );
    return () => {
      live = false;
    };
  }, [certificateChain, privateKey, passphrase]);

  return (
    <>
      {state.status === 'loading' && (
        <Group gap="xs">
          <Loader size="xs" aria-label="Reading the certificate" />
          <Text size="sm">Reading the certificate…</Text>
        </Group>
      )}
      {state.status === 'error' && (
        <Alert color="red" variant="light" title="Certificate not readable">
          {state.message}
        </Alert>
      )}
      {state.status === 'ready' && (
        <Stack gap="sm">
          {state.keyChecked && state.result.keyMatchesLeaf !== undefined && (
            <Badge color={state.result.keyMatchesLeaf ? 'teal' : 'red'} variant="light">
              {state.result.keyMatchesLeaf
                ? 'Private key matches the certificate'
                : 'Private key does not match the certificate'}
            </Badge>
          )}
          {state.result.chain.map((entry, index) => (
            <ChainCard
              key={entry.certificate.sha256Fingerprint + String(index)}
              entry={entry}
              index={index}
              total={state.result.chain.length}
              nowMs={nowMs}
              onCopy={onCopy}
            />
          ))}
        </Stack>
      )}
      <FieldList>
        {record.certificateChain !== '' && (
          <FieldRow
            label="Certificate chain (PEM)"
            actions={
              <CopyAction
                label="Certificate chain"
                onCopy={() => onCopy('Certificate chain', record.certificateChain)}
              />
            }
          >
            <Text size="sm">{pemSummary(record.certificateChain)}</Text>
          </FieldRow>
        )}
        <SecretField label="Private key" value={record.privateKey} onCopy={onCopy} multiline />
        <SecretField label="Passphrase" value={record.passphrase} onCopy={onCopy} />
      </FieldList>
    </>
  );
}
