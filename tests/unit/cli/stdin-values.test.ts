import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAssignments } from '../../../cli/commands/assignments.ts';
import { EXIT } from '../../../cli/exit-codes.ts';
import type { Io } from '../../../cli/io.ts';
import { main } from '../../../cli/main.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { captureIo } from './support/capture-io.ts';

/** `captureIo`, with these bytes on stdin (one chunk, or several to split a character). */
function withStdin(...chunks: Uint8Array[]): { io: Io; lines: { out: string[]; err: string[] } } {
  const { io, lines } = captureIo();
  return { io: { ...io, stdin: Readable.from(chunks.map((chunk) => Buffer.from(chunk))) }, lines };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function read(
  stdin: Uint8Array[],
  allowEmpty = false,
): Promise<{ value?: string; code?: string; message?: string }> {
  try {
    const values = await readAssignments(['password=-'], withStdin(...stdin).io, 'login', {
      allowEmpty,
    });
    return { value: values.password as string };
  } catch (error) {
    if (!isCofferError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('a value read from stdin', () => {
  it('is refused when it is not UTF-8, naming the field and not the bytes', async () => {
    const latin1 = await read([Buffer.from('latin1-p\xe4ssword', 'latin1')]);
    expect(latin1.code).toBe('cli_usage');
    expect(latin1.message).toMatch(/"password" read from stdin is not valid UTF-8 text/);
    expect(latin1.message).toMatch(/nothing was written/);
    expect(latin1.message).not.toContain('latin1-p');
    // A character cut short at the end of the input is as wrong as a Latin-1 byte.
    expect((await read([utf8('pässword').subarray(0, 2)])).code).toBe('cli_usage');
  });

  it('keeps a multi-byte character split across two reads', async () => {
    const bytes = utf8('pä€ss');
    expect(await read([bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)])).toEqual({
      value: 'pä€ss',
    });
  });

  it('loses exactly one trailing newline, \\n or \\r\\n', async () => {
    expect((await read([utf8('s3cret\n')])).value).toBe('s3cret');
    expect((await read([utf8('s3cret\r\n')])).value).toBe('s3cret');
    expect((await read([utf8('s3cret\n\n')])).value).toBe('s3cret\n');
    expect((await read([utf8('s3cret')])).value).toBe('s3cret');
  });

  it('is refused when empty, also after its newline, unless empty values are allowed', async () => {
    for (const input of ['', '\n', '\r\n']) {
      const refused = await read([utf8(input)]);
      expect(refused.code, JSON.stringify(input)).toBe('cli_usage');
      expect(refused.message).toMatch(/"password" read from stdin is empty.*--allow-empty/);
    }
    expect(await read([utf8('')], true)).toEqual({ value: '' });
    expect(await read([utf8('\n')], true)).toEqual({ value: '' });
  });

  it('is refused, not cut, past 1 MiB', async () => {
    const refused = await read([Buffer.alloc(1024 * 1024, 0x61), utf8('b')]);
    expect(refused.code).toBe('cli_usage');
    expect(refused.message).toMatch(/longer than 1048576 bytes/);
  });
});

describe('an inline value', () => {
  it('is refused when empty, with the stdin message, unless empty values are allowed', async () => {
    const { io } = captureIo();
    const refused = await readAssignments(['title=T', 'password='], io, 'login', {
      allowEmpty: false,
    }).catch((error: unknown) => error);
    expect(isCofferError(refused, 'cli_usage')).toBe(true);
    expect((refused as Error).message).toBe(
      'The value of "password" on the command line is empty; nothing was written. To store an ' +
        'empty value, add --allow-empty.',
    );
    expect(await readAssignments(['password='], io, 'login', { allowEmpty: true })).toEqual({
      password: '',
    });
  });

  it('makes set and create exit 2 before looking for a profile', async () => {
    const env = { HOME: '/nonexistent-coffer-home' };
    const set = captureIo();
    expect(await main(['set', 'Production/Orders DB', 'password='], { ...set.io, env })).toBe(
      EXIT.usage,
    );
    expect(set.lines.err.join('\n')).toMatch(/"password" on the command line is empty/);
    const create = captureIo();
    const args = ['create', '--folder', 'Staging', '--type', 'login', '--title', 'T', 'notes='];
    expect(await main(args, { ...create.io, env })).toBe(EXIT.usage);
    expect(create.lines.err.join('\n')).toMatch(/"notes" on the command line is empty/);
  });
});

describe('the commands that read stdin', () => {
  it(
    'refuse before looking for a profile, with ' + 'the usage code, and name --allow-empty',
    async () => {
      const empty = withStdin(utf8(''));
      const env = { HOME: '/nonexistent-coffer-home' };
      const io = { ...empty.io, env };
      expect(await main(['set', 'Production/Orders DB', 'password=-'], io)).toBe(EXIT.usage);
      expect(empty.lines.err.join('\n')).toMatch(/is empty; nothing was written/);
      const latin = withStdin(Buffer.from('p\xe4ss', 'latin1'));
      const args = [
        'create',
        '--folder',
        'Staging',
        '--type',
        'login',
        '--title',
        'T',
        'password=-',
      ];
      expect(await main(args, { ...latin.io, env })).toBe(EXIT.usage);
      expect(latin.lines.err.join('\n')).toMatch(/not valid UTF-8 text/);
    },
  );

  it('document --allow-empty and the newline rule in set and create --help', async () => {
    for (const command of ['set', 'create']) {
      const { io, lines } = captureIo();
      expect(await main([command, '--help'], io)).toBe(EXIT.ok);
      const help = lines.out.join('\n');
      expect(help).toMatch(/--allow-empty/);
      expect(help).toMatch(/One trailing newline \(\\n or \\r\\n\) is dropped/);
    }
  });

  it('inject refuses a template file that is not UTF-8 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-inject-'));
    const template = join(dir, 'app.conf.tpl');
    writeFileSync(template, Buffer.from('name=M\xfcller\n', 'latin1'));
    const { io, lines } = captureIo();
    expect(await main(['inject', '-i', template, '-o', join(dir, 'app.conf')], io)).toBe(
      EXIT.usage,
    );
    expect(lines.err.join('\n')).toMatch(/The template .*app\.conf\.tpl is not valid UTF-8 text/);
    expect(lines.out).toEqual([]);
    expect(existsSync(join(dir, 'app.conf'))).toBe(false);
  });
});
