import { Alert, Button, Card, FileButton, Group, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import {
  importCertificate,
  type CertificateImport,
} from '../../../../shared/records/cert/index.ts';
import { CappedPasswordInput } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
import { codeOf, messageOf } from '../errors.ts';
import { Busy } from './Busy.tsx';
import { readSmallFile } from './read-file.ts';
import { PasteArea } from './PasteArea.tsx';

/** What an import puts into the certificate record's fields. */
export interface CertificateFill {
  readonly certificateChain: string;
  readonly privateKey: string;
  readonly passphrase: string;
  /** A title suggestion: the PKCS#12 friendly name or the leaf's common name. */
  readonly name: string;
}

function leafName(result: CertificateImport): string {
  if (result.friendlyName !== undefined && result.friendlyName !== '') return result.friendlyName;
  const subject = result.chain[0]?.certificate.subject ?? '';
  return /(?:^|,)CN=((?:[^,\\]|\\.)*)/.exec(subject)?.[1] ?? subject;
}

/**
 * Imports PEM text, a DER certificate or a PKCS#12 file into the record's normal form (chain
 * PEM + unencrypted PKCS#8 key), asking for the file's password when it has one.
 */
export function CertificateImportPanel({
  onFill,
}: {
  readonly onFill: (fill: CertificateFill) => void;
}) {
  const [text, setText] = useState('');
  const [pending, setPending] = useState<Uint8Array | string | null>(null);
  const [password, setPassword] = useState('');
  const [prompt, setPrompt] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<CertificateImport | null>(null);

  const run = async (input: Uint8Array | string, withPassword?: string) => {
    setBusy(true);
    setError(null);
    setSummary(null);
    try {
      const result = await importCertificate(
        input,
        withPassword === undefined ? {} : { passphrase: withPassword },
      );
      onFill({
        certificateChain: result.chainPem,
        privateKey: result.privateKey?.pkcs8Pem ?? '',
        passphrase: '',
        name: leafName(result),
      });
      setSummary(result);
      setPrompt(false);
      setPending(null);
      setPassword('');
      setText('');
    } catch (failure) {
      const code = codeOf(failure);
      if (code === 'passphrase_required' || code === 'wrong_passphrase') {
        setPending(input);
        setPrompt(true);
        if (code === 'wrong_passphrase') setError('That password is wrong. Try again.');
      } else {
        setError(messageOf(failure, 'The certificate could not be read.'));
      }
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (file: File | null) => {
    if (file === null) return;
    try {
      await run(await readSmallFile(file));
    } catch (failure) {
      setError(messageOf(failure, 'The file could not be read.'));
    }
  };

  const unlock = () => {
    if (pending !== null) void run(pending, password);
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Certificate import">
      <Stack gap="sm">
        <Text fw={600} size="sm">
          Import a certificate
        </Text>
        <PasteArea
          label="Paste PEM"
          description={
            'Certificates and a private key, in any order; ' + 'text around the blocks is ignored'
          }
          value={text}
          onChange={setText}
        />
        <Group gap="xs">
          <Button
            variant="default"
            disabled={busy || text.trim() === ''}
            onClick={() => void run(text)}
          >
            Import pasted PEM
          </Button>
          <FileButton
            onChange={(file) => void onFile(file)}
            accept=".pem,.crt,.cer,.der,.p12,.pfx,.key,.p7b"
          >
            {(props) => (
              <Button {...props} variant="default" disabled={busy}>
                Import file (PEM, DER, PKCS#12)…
              </Button>
            )}
          </FileButton>
        </Group>
        {prompt && (
          <Group gap="xs" align="flex-end">
            <CappedPasswordInput
              label="File password"
              description="The file is protected; enter the password it was exported with."
              value={password}
              max={TEXT_MAX.secret}
              onText={setPassword}
              style={{ flex: 1 }}
              autoFocus
              onKeyDown={(event) => {
                if (event.key !== 'Enter') return;
                event.preventDefault();
                unlock();
              }}
            />
            <Button disabled={busy} onClick={unlock}>
              Unlock file
            </Button>
          </Group>
        )}
        {busy && <Busy label="Reading the certificate…" />}
        {error !== null && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        {summary !== null && (
          <Stack gap={4} role="status">
            <Text size="sm" c="teal">
              {summary.chain.length === 1
                ? '1 certificate'
                : `${summary.chain.length} certificates`}
              {summary.privateKey === undefined
                ? ', no private key'
                : summary.keyMatchesLeaf === true
                  ? ' and the matching private key'
                  : ' and a private key that does NOT match the certificate'}{' '}
              imported.
            </Text>
            {summary.warnings.length > 0 && (
              <List size="xs">
                {summary.warnings.map((warning, index) => (
                  <List.Item key={index}>{warning}</List.Item>
                ))}
              </List>
            )}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
