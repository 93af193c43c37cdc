import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../shared/records/schema/index.ts';
import {
  copyTarget,
  shortcutFor,
  shortcutHelp,
  type KeyLike,
} from '../../../renderer/src/vault/record-shortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});
const pc = { mac: false, editing: false, selecting: false };
const mac = { ...pc, mac: true };

describe('vault keyboard shortcuts', () => {
  it('maps the chords to actions with Ctrl on Windows and Linux and Cmd on macOS', () => {
    expect(shortcutFor(key('f', { ctrlKey: true }), pc)).toBe('search');
    expect(shortcutFor(key('/'), pc)).toBe('search');
    expect(shortcutFor(key('b', { ctrlKey: true }), pc)).toBe('copy-username');
    expect(shortcutFor(key('c', { ctrlKey: true }), pc)).toBe('copy-password');
    expect(shortcutFor(key('O', { ctrlKey: true, shiftKey: true }), pc)).toBe('copy-totp');
    expect(shortcutFor(key('b', { metaKey: true }), mac)).toBe('copy-username');
    expect(shortcutFor(key('b', { ctrlKey: true }), mac)).toBeNull();
    expect(shortcutFor(key('b', { metaKey: true }), pc)).toBeNull();
    expect(shortcutFor(key('b', { ctrlKey: true, altKey: true }), pc)).toBeNull();
  });

  it('leaves typing and ordinary copying alone', () => {
    expect(shortcutFor(key('/'), { ...pc, editing: true })).toBeNull();
    expect(shortcutFor(key('c', { ctrlKey: true }), { ...pc, editing: true })).toBeNull();
    expect(shortcutFor(key('c', { ctrlKey: true }), { ...pc, selecting: true })).toBeNull();
    expect(shortcutFor(key('f', { ctrlKey: true }), { ...pc, editing: true })).toBe('search');
  });

  it('lists every chord for the help text, in the platform’s notation', () => {
    expect(shortcutHelp(false).map((h) => h.keys)).toEqual([
      'Ctrl+F or /',
      'Ctrl+B',
      'Ctrl+C',
      'Ctrl+Shift+O',
    ]);
    expect(shortcutHelp(true).map((h) => h.keys)).toEqual(['⌘F or /', '⌘B', '⌘C', '⌘⇧O']);
  });

  it('takes the username, password and the code at the given time from a record', () => {
    const login = parseRecord({
      type: 'login',
      schemaVersion: 1,
      title: 'Grafana',
      username: 'alice@example.com',
      password: 'correct horse',
      // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", 8 digits.
      otp: 'otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&period=30',
    });
    expect(copyTarget(login, 'copy-username', 0)).toEqual({
      label: 'Username',
      value: 'alice@example.com',
    });
    expect(copyTarget(login, 'copy-password', 0)?.value).toBe('correct horse');
    expect(copyTarget(login, 'copy-totp', 59_000)?.value).toBe('94287082');
    expect(copyTarget(login, 'copy-totp', 1_111_111_109_000)?.value).toBe('07081804');
  });

  it('says there is nothing to copy when the record lacks the value', () => {
    const note = parseRecord({ type: 'secure-note', schemaVersion: 1, title: 'Runbook' });
    expect(copyTarget(note, 'copy-username', 0)).toBeNull();
    expect(copyTarget(note, 'copy-password', 0)).toBeNull();
    expect(copyTarget(note, 'copy-totp', 0)).toBeNull();
    const apiKey = parseRecord({
      type: 'api-key',
      schemaVersion: 1,
      title: 'Payments',
      secret: 'sk_test_example',
    });
    expect(copyTarget(apiKey, 'copy-password', 0)).toEqual({
      label: 'Secret',
      value: 'sk_test_example',
    });
  });
});
