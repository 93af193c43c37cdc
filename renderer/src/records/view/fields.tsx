import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { CheckIcon, CopyIcon, EyeIcon, EyeOffIcon, OpenIcon } from '../icons.tsx';
import { MONO_STYLE } from '../mono.ts';

/** What the shell gives the view: it owns the clipboard (auto-clear, history exclusion). */
export type CopyHandler = (label: string, value: string) => void;
export type OpenLinkHandler = (url: string) => void;

/** Shown for every masked secret: a fixed width, so the mask says nothing about the length. */
export const MASK = '••••••••••';

export function FieldList({ children }: { readonly children: ReactNode }) {
  return (
    <Stack component="dl" gap="sm" m={0}>
      {children}
    </Stack>
  );
}

interface FieldRowProps {
  readonly label: string;
  readonly children: ReactNode;
  readonly actions?: ReactNode;
}

/** One labelled value: a <dt>/<dd> pair, actions beside the value. */
export function FieldRow({ label, children, actions }: FieldRowProps) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Group component="dd" m={0} gap="xs" wrap="nowrap" align="flex-start">
        <div style={{ flex: 1, minWidth: 0 }}>{children}</div>
        {actions}
      </Group>
    </div>
  );
}

interface ValueTextProps {
  readonly children: string;
  readonly mono?: boolean;
  readonly multiline?: boolean;
}

/**
 * Vault text as React text nodes, never markup (EL-02): a title or note holding `<img onerror>`
 * shows those characters and runs nothing.
 */
export function ValueText({ children, mono = false, multiline = false }: ValueTextProps) {
  return (
    <Text
      component={multiline ? 'pre' : 'span'}
      size="sm"
      m={0}
      style={{
        ...(mono ? MONO_STYLE : {}),
        whiteSpace: multiline ? 'pre-wrap' : 'normal',
        overflowWrap: 'anywhere',
        display: 'block',
      }}
    >
      {children}
    </Text>
  );
}

export function CopyAction({
  label,
  onCopy,
}: {
  readonly label: string;
  readonly onCopy: () => void;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <Tooltip label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`} withinPortal>
      <ActionIcon
        variant="subtle"
        aria-label={`Copy ${label}`}
        onClick={() => {
          onCopy();
          setCopied(true);
        }}
      >
        {copied ? <CheckIcon /> : <CopyIcon />}
      </ActionIcon>
    </Tooltip>
  );
}

interface PlainFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onCopy?: CopyHandler;
  readonly mono?: boolean;
  readonly multiline?: boolean;
}

/** A non-secret value; empty values are left out rather than shown as blank rows. */
export function PlainField({ label, value, onCopy, mono, multiline }: PlainFieldProps) {
  if (value === '') return null;
  const actions =
    onCopy === undefined ? undefined : (
      <CopyAction label={label} onCopy={() => onCopy(label, value)} />
    );
  return (
    <FieldRow label={label} actions={actions}>
      <ValueText mono={mono ?? false} multiline={multiline ?? false}>
        {value}
      </ValueText>
    </FieldRow>
  );
}

interface SecretFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onCopy: CopyHandler;
  readonly multiline?: boolean;
}

/**
 * A secret, masked until revealed. While masked the value is not in the DOM at all, so neither a
 * screen reader, a DOM inspector nor a screenshot of the page text sees it. The reveal is tied
 * to the value it was given for: when the shell shows another record, that one starts masked.
 */
export function SecretField({ label, value, onCopy, multiline = false }: SecretFieldProps) {
  const [revealedFor, setRevealedFor] = useState<string | null>(null);
  if (value === '') return null;
  const shown = revealedFor === value;
  const actions = (
    <>
      <Tooltip label={shown ? 'Hide' : 'Reveal'} withinPortal>
        <ActionIcon
          variant="subtle"
          aria-label={`${shown ? 'Hide' : 'Reveal'} ${label}`}
          aria-pressed={shown}
          onClick={() => setRevealedFor(shown ? null : value)}
        >
          {shown ? <EyeOffIcon /> : <EyeIcon />}
        </ActionIcon>
      </Tooltip>
      <CopyAction label={label} onCopy={() => onCopy(label, value)} />
    </>
  );
  return (
    <FieldRow label={label} actions={actions}>
      {shown ? (
        <ValueText mono multiline={multiline}>
          {value}
        </ValueText>
      ) : (
        <Text size="sm" aria-label={`${label} hidden`} c="dimmed">
          {MASK}
        </Text>
      )}
    </FieldRow>
  );
}

/** Only web links are offered for opening; the shell's opener applies its own allow-list. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

interface LinkFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onCopy: CopyHandler;
  readonly onOpenLink: OpenLinkHandler | undefined;
}

/** A URL shown as text; it opens only through the shell's link gate (EL-05), never as <a href>. */
export function LinkField({ label, value, onCopy, onOpenLink }: LinkFieldProps) {
  if (value === '') return null;
  const openable = onOpenLink !== undefined && isWebUrl(value);
  return (
    <FieldRow
      label={label}
      actions={
        <>
          {openable && (
            <Tooltip label="Open in browser" withinPortal>
              <ActionIcon
                variant="subtle"
                aria-label={`Open ${label}`}
                onClick={() => onOpenLink(value)}
              >
                <OpenIcon />
              </ActionIcon>
            </Tooltip>
          )}
          <CopyAction label={label} onCopy={() => onCopy(label, value)} />
        </>
      }
    >
      <ValueText>{value}</ValueText>
    </FieldRow>
  );
}
