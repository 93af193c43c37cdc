import { Button, FileButton, Group, Loader, Stack, Text } from '@mantine/core';
import { useMemo, useState, type ClipboardEvent } from 'react';
import {
  readOtpInput,
  type OtpImport,
  type OtpWarning,
} from '../../../../shared/records/totp/index.ts';
import { CappedTextInput } from '../../app/CappedInputs.tsx';
import { cutText, TEXT_MAX } from '../../app/text-limits.ts';
import { messageOf } from '../errors.ts';
import { decodeQrImage, imageFromClipboard } from './qr.ts';
import { MONO_INPUT_STYLES } from '../mono.ts';

function warningText(warning: OtpWarning): string {
  switch (warning.kind) {
    case 'weak_secret':
      return (
        `The secret has only ${warning.bits} bits; ` + 'the service chose it, and codes still work.'
      );
    case 'issuer_mismatch':
      return `The label names “${warning.labelIssuer}” but the issuer parameter wins.`;
    case 'hotp_counter_missing':
      return 'No counter was given; counting starts at 0.';
  }
}

type Reading =
  | { readonly status: 'empty' }
  | { readonly status: 'ok'; readonly read: OtpImport }
  | { readonly status: 'error'; readonly message: string };

function read(value: string): Reading {
  if (value.trim() === '') return { status: 'empty' };
  try {
    return { status: 'ok', read: readOtpInput(value) };
  } catch (error) {
    return { status: 'error', message: messageOf(error, 'Not a one-time-code URI or secret.') };
  }
}

interface OtpFieldProps {
  readonly label: string;
  readonly value: string;
  readonly required: boolean;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
  /** A Google Authenticator export was entered: the editor reviews its accounts. */
  readonly onMigration: ((read: OtpImport) => void) | undefined;
}

/**
 * One-time-code entry: an otpauth:// or steam:// URI, a bare secret, a QR image (file or
 * pasted screenshot) or a Google Authenticator export. What was understood is shown at once.
 */
export function OtpField({ label, value, required, error, onChange, onMigration }: OtpFieldProps) {
  const [scanning, setScanning] = useState(false);
  const [scanError, setScanError] = useState<string | null>(null);
  const reading = useMemo(() => read(value), [value]);

  const accept = (input: string) => {
    // A decoded QR code is cut like typed text, before anything parses it.
    const text = cutText(input, TEXT_MAX.otpInput);
    onChange(text);
    const next = read(text);
    if (next.status === 'ok' && next.read.batch !== null && onMigration !== undefined) {
      onMigration(next.read);
    }
  };

  const scan = async (image: Blob | null) => {
    if (image === null) return;
    setScanError(null);
    setScanning(true);
    try {
      accept(await decodeQrImage(image));
    } catch (failure) {
      setScanError(messageOf(failure, 'The image could not be read.'));
    } finally {
      setScanning(false);
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const image = imageFromClipboard(event.clipboardData);
    if (image === null) return;
    event.preventDefault();
    void scan(image);
  };

  const entry = reading.status === 'ok' ? reading.read.accounts[0] : undefined;
  const single = reading.status === 'ok' && reading.read.batch === null ? entry : undefined;
  return (
    <Stack gap={6}>
      <CappedTextInput
        label={label}
        required={required}
        description="Paste an otpauth:// link, a secret, or a QR screenshot (Ctrl+V)"
        value={value}
        max={TEXT_MAX.otpInput}
        autoComplete="off"
        spellCheck={false}
        onText={accept}
        onPaste={onPaste}
        error={error ?? (reading.status === 'error' ? reading.message : undefined)}
        styles={MONO_INPUT_STYLES}
      />
      <Group gap="xs">
        <FileButton onChange={(file) => void scan(file)} accept="image/*">
          {(props) => (
            <Button {...props} variant="default" size="xs">
              Scan QR image…
            </Button>
          )}
        </FileButton>
        {scanning && (
          <Group gap={6} role="status">
            <Loader size="xs" />
            <Text size="sm">Reading the QR code…</Text>
          </Group>
        )}
      </Group>
      {scanError !== null && (
        <Text size="sm" c="red" role="alert">
          {scanError}
        </Text>
      )}
      {single !== undefined && (
        <Text size="sm" c="dimmed" role="status">
          {single.entry.type === 'steam'
            ? 'Steam Guard'
            : single.entry.type === 'hotp'
              ? `Counter-based, ${single.entry.digits} digits`
              : `Time-based, ${single.entry.digits} digits every ${single.entry.period} s`}
          {single.entry.issuer !== '' ? ` for ${single.entry.issuer}` : ''}
          {single.entry.account !== '' ? ` (${single.entry.account})` : ''}
        </Text>
      )}
      {single?.warnings.map((warning) => (
        <Text key={warning.kind} size="xs" c="yellow.8">
          {warningText(warning)}
        </Text>
      ))}
      {reading.status === 'ok' && reading.read.batch !== null && onMigration === undefined && (
        <Text size="sm" c="red" role="alert">
          This Google Authenticator export holds {reading.read.accounts.length} accounts: add it as
          one-time-code records instead.
        </Text>
      )}
    </Stack>
  );
}
