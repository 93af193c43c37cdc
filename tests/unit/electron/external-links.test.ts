import { describe, expect, it } from 'vitest';
import { createExternalLinkGate } from '../../../electron/main/external-links.ts';
import { createHandlerTable, type MainServices } from '../../../electron/main/ipc/handlers.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { recordingLogger } from './fakes.ts';

function setup(allowedHosts: string[] = ['docs.example.com']) {
  const opened: string[] = [];
  const log = recordingLogger();
  const gate = createExternalLinkGate({
    allowedHosts: () => allowedHosts,
    openExternal: async (url) => {
      opened.push(url);
    },
    log,
  });
  return { gate, opened, log };
}

// SECURITY-CASES EL-05: everything the OS would launch a handler for is refused before it.
const refused = [
  ['a file: path to an executable', 'file:///C:/Windows/System32/calc.exe'],
  ['an smb share (NTLM leak)', 'smb://attacker.example.com/share'],
  ['UNC-style file URL', 'file://attacker.example.com/share/run.exe'],
  ['ms-msdt:', 'ms-msdt:/id PCWDiagnostic /skip force'],
  ['ms-settings:', 'ms-settings:privacy'],
  ['vscode:', 'vscode://file/etc/passwd'],
  ['javascript:', 'javascript:alert(1)'],
  ['spaced upper-case JAVASCRIPT:', ' JAVASCRIPT:alert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['plain http to an allow-listed host', 'http://docs.example.com/guide'],
  ['credentials in an https URL', 'https://alice:hunter2@docs.example.com/'],
  ['a user name alone', 'https://alice@docs.example.com/'],
  ['a host that is not allow-listed', 'https://evil.example.net/'],
  ['an allow-listed name as a prefix', 'https://docs.example.com.evil.example.net/'],
  ['a 10 kB URL', `https://docs.example.com/${'a'.repeat(10_240)}`],
  ['not a URL at all', 'docs.example.com/guide'],
  ['an empty string', ''],
] as const;

describe('external-link gate', () => {
  it.each(refused)('refuses %s and launches nothing', async (_name, url) => {
    const { gate, opened, log } = setup();
    const error = await gate.open(url).catch((caught: unknown) => caught);
    expect(isCofferError(error, 'external_link_refused')).toBe(true);
    expect(opened).toEqual([]);
    expect(log.lines.some((line) => line.includes('open refused'))).toBe(true);
  });

  it('never echoes the refused URL in the error or the log', async () => {
    const { gate, log } = setup();
    const marker = 'SENTINEL-7f3a9c';
    const error = await gate
      .open(`https://evil.example.net/?token=${marker}`)
      .catch((caught: unknown) => caught);
    expect(String((error as Error).message)).not.toContain(marker);
    expect(log.lines.join('\n')).not.toContain(marker);
    expect(log.lines.join('\n')).not.toContain('evil.example.net');
  });

  it('opens an allow-listed https link exactly once, normalised', async () => {
    const { gate, opened } = setup();
    await gate.open('HTTPS://Docs.Example.com/guide?x=1');
    expect(opened).toEqual(['https://docs.example.com/guide?x=1']);
  });

  it('allows the identity provider origin for one call only', async () => {
    const { gate, opened } = setup([]);
    const authorize = 'https://id.example.org/authorize?client_id=coffer';
    await gate.open(authorize, { allowOrigin: 'https://id.example.org' });
    expect(opened).toEqual([authorize]);
    await expect(gate.open(authorize)).rejects.toMatchObject({ code: 'external_link_refused' });
  });

  it('allows http only for a loopback identity provider, never a remote one', async () => {
    const { gate, opened } = setup([]);
    await gate.open('http://127.0.0.1:9000/authorize', { allowOrigin: 'http://127.0.0.1:9000' });
    expect(opened).toHaveLength(1);
    await expect(
      gate.open('http://id.example.org/authorize', { allowOrigin: 'http://id.example.org' }),
    ).rejects.toMatchObject({ code: 'external_link_refused' });
    await expect(
      gate.open('http://127.0.0.1:9001/authorize', { allowOrigin: 'http://127.0.0.1:9000' }),
    ).rejects.toMatchObject({ code: 'external_link_refused' });
  });

  it('refuses credentials even on the one-off identity provider origin', async () => {
    const { gate, opened } = setup([]);
    await expect(
      gate.open('https://alice:pw@id.example.org/authorize', {
        allowOrigin: 'https://id.example.org',
      }),
    ).rejects.toMatchObject({ code: 'external_link_refused' });
    expect(opened).toEqual([]);
  });
});

describe('record links the user confirmed (EL-05, issue #4 LS-05 brief)', () => {
  it('open on any https host once confirmed, where the allow-list alone refuses them', async () => {
    const { gate, opened } = setup([]);
    await expect(gate.open('https://grafana.example.net/d/1')).rejects.toMatchObject({
      code: 'external_link_refused',
    });
    await gate.open('https://grafana.example.net/d/1', { confirmedRecordLink: true });
    expect(opened).toEqual(['https://grafana.example.net/d/1']);
  });

  // Only the allow-list's own refusals are lifted by a confirmation.
  const allowListOnly = new Set([
    'a host that is not allow-listed',
    'an allow-listed name as a prefix',
  ]);
  it.each(refused.filter(([name]) => !allowListOnly.has(name)))(
    'still refuses %s, confirmed or not',
    async (_name, url) => {
      const { gate, opened } = setup([]);
      const error = await gate
        .open(url, { confirmedRecordLink: true })
        .catch((caught: unknown) => caught);
      expect(isCofferError(error, 'external_link_refused')).toBe(true);
      expect(opened).toEqual([]);
    },
  );

  it('is what the links:open channel asks for, and nothing else does', async () => {
    const { gate, opened } = setup([]);
    const handlers = createHandlerTable({ gate } as unknown as MainServices);
    await handlers['links:open']({ url: 'https://grafana.example.net/d/1' });
    expect(opened).toEqual(['https://grafana.example.net/d/1']);
    await expect(
      handlers['links:open']({ url: 'http://grafana.example.net/' }),
    ).rejects.toMatchObject({ code: 'external_link_refused' });
    expect(opened).toHaveLength(1);
  });
});
