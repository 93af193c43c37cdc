import { Alert, Badge, Group, Loader, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { SshKeyRecord } from '../../../../shared/records/schema/index.ts';
import { parseSshPublicKeys } from '../../../../shared/records/ssh/index.ts';
import { messageOf } from '../errors.ts';
import { runSshInWorker } from '../ssh/ssh-client.ts';
import {
  FieldList,
  FieldRow,
  PlainField,
  SecretField,
  ValueText,
  type CopyHandler,
} from './fields.tsx';

interface KeyFacts {
  readonly type: string;
  readonly bits: number;
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly comment: string;
}

type FactsState =
  | { readonly status: 'ready'; readonly facts: KeyFacts }
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'none' };

/** `ssh-ed25519` → `ED25519`, `ecdsa-sha2-nistp384` → `ECDSA P-384`, `ssh-rsa` → `RSA`. */
export function sshTypeName(type: string): string {
  const ecdsa = /^ecdsa-sha2-nistp(\d+)$/.exec(type);
  if (ecdsa !== null) return `ECDSA P-${ecdsa[1]}`;
  return type
    .replace(/^ssh-/, '')
    .replace(/@openssh\.com$/, '')
    .toUpperCase();
}

function factsFromPublic(text: string): FactsState {
  try {
    const entry = parseSshPublicKeys(text)[0];
    if (entry === undefined) return { status: 'error', message: 'No public key found.' };
    return { status: 'ready', facts: entry };
  } catch (error) {
    return { status: 'error', message: messageOf(error, 'The public key is unreadable.') };
  }
}

/**
 * The key's facts come from the public line when stored; a record with only a private key has
 * them derived off the main thread (its passphrase KDF can take seconds).
 */
function useKeyFacts(record: SshKeyRecord): FactsState {
  const fromPublic = useMemo(
    () => (record.publicKey.trim() === '' ? null : factsFromPublic(record.publicKey)),
    [record.publicKey],
  );
  const [derived, setDerived] = useState<FactsState>({ status: 'none' });
  const { privateKey, passphrase } = record;
  useEffect(() => {
    if (fromPublic !== null || privateKey.trim() === '') return undefined;
    const abort = new AbortController();
    setDerived({ status: 'loading' });
    runSshInWorker(
      { op: 'import', text: privateKey, ...(passphrase === '' ? {} : { passphrase }) },
      abort.signal,
    ).then(
      (result) => {
        if (abort.signal.aborted) return;
        if (result.kind === 'private-key') setDerived({ status: 'ready', facts: result.key });
        else setDerived({ status: 'error', message: 'The private key field holds a public key.' });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setDerived({ status: 'error', message: messageOf(error) });
      },
    );
    return () => abort.abort();
  }, [fromPublic, privateKey, passphrase]);
  return fromPublic ?? derived;
}

function CertificateFacts({ text }: { readonly text: string }) {
  const parsed = useMemo(() => {
    try {
      return { ok: true as const, cert: parseSshPublicKeys(text)[0]?.certificate };
    } catch (error) {
      return { ok: false as const, message: messageOf(error) };
    }
  }, [text]);
  if (!parsed.ok || parsed.cert === undefined) {
    return (
      <FieldRow label="Certificate">
        <Text size="sm" c="red">
          {parsed.ok ? 'Not an OpenSSH certificate.' : parsed.message}
        </Text>
      </FieldRow>
    );
  }
  const { cert } = parsed;
  const from = cert.validAfter === null ? 'always' : cert.validAfter.toISOString();
  const to = cert.validBefore === null ? 'forever' : cert.validBefore.toISOString();
  return (
    <>
      <FieldRow label="Certificate">
        <ValueText>
          {`${cert.kind} certificate “${cert.keyId}”, serial ${cert.serial}; principals: ${
            cert.principals.length === 0 ? 'any' : cert.principals.join(', ')
          }`}
        </ValueText>
      </FieldRow>
      <PlainField label="Certificate validity" value={`${from} to ${to}`} />
      <PlainField label="Signing CA" value={cert.caFingerprint} mono />
    </>
  );
}

export function SshKeyView({
  record,
  onCopy,
}: {
  readonly record: SshKeyRecord;
  readonly onCopy: CopyHandler;
}) {
  const state = useKeyFacts(record);
  return (
    <FieldList>
      <PlainField label="Username" value={record.username} onCopy={onCopy} />
      <PlainField label="Host" value={record.host} onCopy={onCopy} />
      {state.status === 'loading' && (
        <Group gap="xs">
          <Loader size="xs" aria-label="Reading the key" />
          <Text size="sm">Reading the key…</Text>
        </Group>
      )}
      {state.status === 'error' && (
        <Alert color="red" variant="light" title="Key not readable">
          {state.message}
        </Alert>
      )}
      {state.status === 'ready' && (
        <>
          <FieldRow label="Key type">
            <Group gap="xs">
              <Badge variant="light">{sshTypeName(state.facts.type)}</Badge>
              <Text size="sm">{state.facts.bits} bits</Text>
            </Group>
          </FieldRow>
          <PlainField label="Fingerprint" value={state.facts.fingerprint} onCopy={onCopy} mono />
          <PlainField label="Public key" value={state.facts.publicKey} onCopy={onCopy} mono />
        </>
      )}
      <SecretField label="Private key" value={record.privateKey} onCopy={onCopy} multiline />
      <SecretField label="Passphrase" value={record.passphrase} onCopy={onCopy} />
      {record.certificate.trim() !== '' && <CertificateFacts text={record.certificate} />}
    </FieldList>
  );
}
