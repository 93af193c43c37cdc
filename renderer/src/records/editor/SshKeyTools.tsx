import {
  Alert,
  Button,
  Card,
  FileButton,
  Group,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { SshKeySpec } from '../../../../shared/records/ssh/index.ts';
import { CappedPasswordInput } from '../../app/CappedInputs.tsx';
import { TEXT_MAX } from '../../app/text-limits.ts';
import { codeOf, messageOf } from '../errors.ts';
import { Busy } from './Busy.tsx';
import { readTextFile } from './read-file.ts';
import { runSshInWorker } from '../ssh/ssh-client.ts';
import type { SshTaskResult } from '../ssh/ssh-task.ts';
import { PasteArea } from './PasteArea.tsx';

/** What a generated or imported key puts into the record's fields. */
export interface SshKeyFill {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly passphrase: string;
  readonly certificate: string;
  readonly comment: string;
}

interface SshKeyToolsProps {
  /** The record's passphrase field: a generated key is encrypted with it when set. */
  readonly passphrase: string;
  readonly comment: string;
  readonly onFill: (fill: SshKeyFill) => void;
}

const SPECS: Readonly<Record<string, SshKeySpec>> = {
  ed25519: { type: 'ed25519' },
  rsa3072: { type: 'rsa', bits: 3072 },
  rsa4096: { type: 'rsa', bits: 4096 },
};

type Busy = 'generate' | 'import' | null;

/** Generate a new key, or import one from a file or pasted text, off the main thread. */
export function SshKeyTools({ passphrase, comment, onFill }: SshKeyToolsProps) {
  const [spec, setSpec] = useState('ed25519');
  const [busy, setBusy] = useState<Busy>(null);
  const [text, setText] = useState('');
  const [prompt, setPrompt] = useState(false);
  const [keyPassphrase, setKeyPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async (kind: Exclude<Busy, null>, task: Parameters<typeof runSshInWorker>[0]) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(kind);
    setError(null);
    setDone(null);
    try {
      return await runSshInWorker(task, controller.signal);
    } finally {
      if (!controller.signal.aborted) setBusy(null);
    }
  };

  const fillFrom = (result: SshTaskResult, usedPassphrase: string) => {
    if (result.kind === 'public-keys') {
      const key = result.keys[0];
      if (key === undefined) {
        setError('No key was found in the input.');
        return;
      }
      onFill({
        privateKey: '',
        publicKey: key.publicKey,
        passphrase: '',
        certificate: '',
        comment: key.comment,
      });
      setDone(`Public key ${key.fingerprint} added; no private key was in the input.`);
      return;
    }
    const { key } = result;
    onFill({
      privateKey: key.privateKey,
      publicKey: key.publicKey,
      passphrase: key.encrypted ? usedPassphrase : '',
      certificate: key.certificate,
      comment: key.comment,
    });
    setDone(`${key.type} key ${key.fingerprint} (${key.bits} bits) is in the record.`);
  };

  const generate = async () => {
    const chosen = SPECS[spec] ?? { type: 'ed25519' };
    try {
      const result = await run('generate', {
        op: 'generate',
        spec: chosen,
        ...(comment === '' ? {} : { comment }),
        ...(passphrase === '' ? {} : { passphrase }),
      });
      fillFrom(result, passphrase);
    } catch (failure) {
      setError(messageOf(failure, 'The key could not be generated.'));
    }
  };

  const importKey = async (input: string, withPassphrase?: string) => {
    try {
      const result = await run('import', {
        op: 'import',
        text: input,
        ...(withPassphrase === undefined ? {} : { passphrase: withPassphrase }),
      });
      setPrompt(false);
      setKeyPassphrase('');
      setText('');
      fillFrom(result, withPassphrase ?? '');
    } catch (failure) {
      const code = codeOf(failure);
      if (code === 'passphrase_required') {
        setPrompt(true);
        setError(null);
      } else if (code === 'wrong_passphrase') {
        setPrompt(true);
        setError('That passphrase is not the one this key was encrypted with. Try again.');
      } else {
        setError(messageOf(failure, 'The key could not be read.'));
      }
    }
  };

  const onFile = async (file: File | null) => {
    if (file === null) return;
    try {
      const content = await readTextFile(file);
      setText(content);
      await importKey(content);
    } catch (failure) {
      setError(messageOf(failure, 'The file could not be read.'));
    }
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="SSH key tools">
      <Stack gap="sm">
        <Text fw={600} size="sm">
          Generate a new key
        </Text>
        <Group gap="xs" align="flex-end">
          <SegmentedControl
            aria-label="Key type"
            value={spec}
            onChange={setSpec}
            data={[
              { value: 'ed25519', label: 'Ed25519' },
              { value: 'rsa3072', label: 'RSA 3072' },
              { value: 'rsa4096', label: 'RSA 4096' },
            ]}
          />
          <Button onClick={() => void generate()} disabled={busy !== null}>
            Generate key
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {passphrase === ''
            ? 'Fill in the passphrase first to have the key encrypted with it.'
            : 'The key will be encrypted with the passphrase entered below.'}
        </Text>
        <Text fw={600} size="sm">
          Import a key
        </Text>
        <PasteArea
          label="Paste a key"
          description="OpenSSH, PEM (PKCS#1, PKCS#8, SEC1) or PuTTY; encrypted or not"
          value={text}
          onChange={setText}
        />
        <Group gap="xs">
          <Button
            variant="default"
            disabled={busy !== null || text.trim() === ''}
            onClick={() => void importKey(text)}
          >
            Import pasted key
          </Button>
          <FileButton onChange={(file) => void onFile(file)}>
            {(props) => (
              <Button {...props} variant="default" disabled={busy !== null}>
                Import key file…
              </Button>
            )}
          </FileButton>
        </Group>
        {prompt && (
          // Not a <form>: this panel sits inside the record editor's form, and Enter here must
          // unlock the key rather than save the record.
          <Group gap="xs" align="flex-end">
            <CappedPasswordInput
              label="Key passphrase"
              description="This key is encrypted; enter its passphrase to import it."
              value={keyPassphrase}
              max={TEXT_MAX.secret}
              onText={setKeyPassphrase}
              style={{ flex: 1 }}
              autoFocus
              onKeyDown={(event) => {
                if (event.key !== 'Enter') return;
                event.preventDefault();
                void importKey(text, keyPassphrase);
              }}
            />
            <Button disabled={busy !== null} onClick={() => void importKey(text, keyPassphrase)}>
              Unlock key
            </Button>
          </Group>
        )}
        {busy === 'generate' && <Busy label="Generating the key…" />}
        {busy === 'import' && <Busy label="Reading the key…" />}
        {error !== null && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        {done !== null && (
          <Text size="sm" c="teal" role="status">
            {done}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
