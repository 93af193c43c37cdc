import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import {
  advanceHotp,
  formatOtpUri,
  otpCodeAt,
  parseOtp,
  type OtpEntry,
} from '../../../../shared/records/totp/index.ts';
import { messageOf } from '../errors.ts';
import { useNow } from '../use-now.ts';
import { CopyAction, FieldRow } from './fields.tsx';

export type CopyTotpHandler = (code: string) => void;

interface OtpCodeProps {
  /** The stored `otpauth://` or `steam://` URI. */
  readonly uri: string;
  readonly now: number | Date | undefined;
  readonly onCopyTotp: CopyTotpHandler;
  readonly label?: string;
  /**
   * Counter-based codes are single use (RFC 4226 §7.2): with this, a "next code" button hands
   * the URI with the counter moved on to the shell, which saves it.
   */
  readonly onAdvance?: ((nextUri: string) => void) | undefined;
}

type Parsed = { ok: true; entry: OtpEntry } | { ok: false; message: string };

function describe(entry: OtpEntry): string {
  if (entry.type === 'steam') return 'Steam Guard';
  const kind = entry.type === 'hotp' ? 'Counter-based' : `Every ${entry.period} s`;
  return `${kind} · ${entry.digits} digits · ${entry.algorithm}`;
}

/**
 * Digits in two groups for reading; the gap is a margin, not a space, so the element's text (what
 * a screen reader reads and a selection copies) is the code itself.
 */
function grouped(code: string) {
  const half = code.length < 6 ? code.length : Math.ceil(code.length / 2);
  return [code.slice(0, half), code.slice(half)].map((part, index) => (
    <span key={index} style={{ marginLeft: index === 0 ? 0 : '0.35em' }}>
      {part}
    </span>
  ));
}

type Computed =
  | { ok: true; entry: OtpEntry; code: ReturnType<typeof otpCodeAt> }
  | { ok: false; message: string };

/** The code at `nowMs`; a time outside what a Date can hold is reported, not thrown. */
function computeCode(parsed: Parsed, nowMs: number): Computed {
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, entry: parsed.entry, code: otpCodeAt(parsed.entry, nowMs) };
  } catch (error) {
    return { ok: false, message: messageOf(error, 'The clock time is unusable.') };
  }
}

/**
 * The live code of a one-time-code entry with its countdown. The code is derived from the time
 * at every render (never cached between ticks), so after a clock jump the next tick shows the
 * code for the new time.
 */
export function OtpCode({
  uri,
  now,
  onCopyTotp,
  label = 'One-time code',
  onAdvance,
}: OtpCodeProps) {
  const parsed = useMemo<Parsed>(() => {
    try {
      return { ok: true, entry: parseOtp(uri).entry };
    } catch (error) {
      return {
        ok: false,
        message: messageOf(error, 'The stored one-time-code secret is unreadable.'),
      };
    }
  }, [uri]);
  const nowMs = useNow(now);
  const computed = computeCode(parsed, nowMs);
  if (!computed.ok) {
    return (
      <FieldRow label={label}>
        <Alert color="red" variant="light" p="xs">
          No code can be computed: {computed.message}
        </Alert>
      </FieldRow>
    );
  }
  const { entry, code } = computed;
  const period = entry.type === 'hotp' ? 0 : entry.period;
  return (
    <FieldRow
      label={label}
      actions={<CopyAction label={label} onCopy={() => onCopyTotp(code.code)} />}
    >
      <Stack gap={4}>
        <Group gap="sm" align="baseline">
          <Text
            aria-label={label}
            ff="monospace"
            fz={24}
            fw={600}
            style={{ letterSpacing: '0.08em' }}
          >
            {grouped(code.code)}
          </Text>
          {code.secondsLeft !== null ? (
            <Text size="sm" c={code.secondsLeft <= 5 ? 'red' : 'dimmed'} aria-live="off">
              {code.secondsLeft} s
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Counter {code.counter}
            </Text>
          )}
        </Group>
        {code.msLeft !== null && (
          <Progress
            aria-label="Time left for this code"
            value={(code.msLeft / (period * 1000)) * 100}
            size="xs"
            transitionDuration={0}
          />
        )}
        {entry.type === 'hotp' && onAdvance !== undefined && (
          <Button
            variant="default"
            size="xs"
            w="fit-content"
            onClick={() => onAdvance(formatOtpUri(advanceHotp(entry)))}
          >
            Used it: show the next code
          </Button>
        )}
        <Text size="xs" c="dimmed">
          {[entry.issuer, entry.account].filter((part) => part !== '').join(' · ')}
          {entry.issuer !== '' || entry.account !== '' ? ' — ' : ''}
          {describe(entry)}
        </Text>
      </Stack>
    </FieldRow>
  );
}
