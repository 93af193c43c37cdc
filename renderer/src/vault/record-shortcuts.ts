import { otpCodeAt, parseOtp } from '../../../shared/records/totp/index.ts';
import type { VaultRecord } from '../../../shared/records/schema/index.ts';

/**
 * The vault's keyboard shortcuts (issue #4 item 6). Copy chords follow KeePass and KeePassXC —
 * Ctrl+B the username, Ctrl+C the password — except the one-time code: their Ctrl+T opens a tab
 * in every browser and cannot be taken by a page, so the web build and the desktop app share
 * Ctrl+Shift+O instead. Ctrl+C copies the password only when nothing is selected and no field
 * has the focus, so copying text still works as everywhere else. On macOS, Cmd replaces Ctrl.
 */
export type ShortcutAction = 'search' | 'copy-username' | 'copy-password' | 'copy-totp';

export interface ShortcutHelp {
  readonly action: ShortcutAction;
  readonly keys: string;
  readonly label: string;
}

export function isMac(platform: string | undefined): boolean {
  return /mac|iphone|ipad/i.test(platform ?? '');
}

/** The chords as shown in tooltips and the help list, for this platform. */
export function shortcutHelp(mac: boolean): ShortcutHelp[] {
  const mod = mac ? '⌘' : 'Ctrl+';
  const shift = mac ? '⇧' : 'Shift+';
  return [
    { action: 'search', keys: `${mod}F or /`, label: 'Search records' },
    { action: 'copy-username', keys: `${mod}B`, label: 'Copy username' },
    { action: 'copy-password', keys: `${mod}C`, label: 'Copy password' },
    { action: 'copy-totp', keys: `${mod}${shift}O`, label: 'Copy one-time code' },
  ];
}

export function shortcutKeys(action: ShortcutAction, mac: boolean): string {
  return shortcutHelp(mac).find((h) => h.action === action)?.keys ?? '';
}

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

export interface ShortcutContext {
  readonly mac: boolean;
  /** Focus is in a text field, text area, select or content-editable element. */
  readonly editing: boolean;
  /** The page has a non-empty text selection. */
  readonly selecting: boolean;
}

/** Which action a key press asks for, or null when it is not one of ours here. */
export function shortcutFor(event: KeyLike, context: ShortcutContext): ShortcutAction | null {
  const mod = context.mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  const key = event.key.toLowerCase();
  if (event.altKey) return null;
  if (!mod) {
    return key === '/' && !event.shiftKey && !context.editing ? 'search' : null;
  }
  if (event.shiftKey) return key === 'o' ? 'copy-totp' : null;
  if (key === 'f') return 'search';
  if (key === 'b') return 'copy-username';
  if (key === 'c' && !context.editing && !context.selecting) return 'copy-password';
  return null;
}

export interface CopyTarget {
  readonly label: string;
  readonly value: string;
}

function field(record: VaultRecord, name: string): string {
  const value = (record as unknown as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/**
 * What a copy shortcut takes from a record: null when the record has no such value (the caller
 * says so). The one-time code is computed for `nowMs`, as the record view shows it.
 */
export function copyTarget(
  record: VaultRecord,
  action: Exclude<ShortcutAction, 'search'>,
  nowMs: number,
): CopyTarget | null {
  if (action === 'copy-username') {
    const value = field(record, 'username');
    return value === '' ? null : { label: 'Username', value };
  }
  if (action === 'copy-password') {
    const value = record.type === 'api-key' ? field(record, 'secret') : field(record, 'password');
    return value === ''
      ? null
      : { label: record.type === 'api-key' ? 'Secret' : 'Password', value };
  }
  const uri = record.type === 'one-time-code' ? field(record, 'uri') : field(record, 'otp');
  if (uri === '') return null;
  return { label: 'One-time code', value: otpCodeAt(parseOtp(uri).entry, nowMs).code };
}
