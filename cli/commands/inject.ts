import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CofferError } from '../../shared/errors.ts';
import { flagValue, parseArgs } from '../args.ts';
import { writeFileAtomic } from '../config/files.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { decodeUtf8, readStdin, type Io } from '../io.ts';

/**
 * `{{ coffer://… }}` with optional spaces inside the braces. A reference holds no white space,
 * braces or quotes (they are percent-encoded), so the closing braces end it unambiguously.
 */
export const TEMPLATE_REFERENCE = /\{\{[ \t]*(coffer:\/\/[^\s{}]+?)[ \t]*\}\}/g;
const MAX_TEMPLATE_BYTES = 10 * 1024 * 1024;

/** The references a template uses, each once, in order of first use. */
export function templateReferences(template: string): string[] {
  return [
    ...new Set([...template.matchAll(TEMPLATE_REFERENCE)].map((match) => match[1] as string)),
  ];
}

export function renderTemplate(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(
    TEMPLATE_REFERENCE,
    (_, reference: string) => values.get(reference) ?? '',
  );
}

/**
 * `coffer inject [-i template] [-o file]`: renders every reference in one fetch. The output is
 * written owner-only (0600) and atomically, so a reader never sees half a file and a file that
 * existed with wider permissions is replaced, not rewritten in place. Nothing is written when
 * any reference fails.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    flags: { input: 'value', output: 'value' },
    aliases: { i: 'input', o: 'output' },
  });
  if (args.operands.length > 0) {
    throw new CofferError('cli_usage', 'coffer inject takes -i TEMPLATE and -o FILE, no operands.');
  }
  const input = flagValue(args, 'input');
  const output = flagValue(args, 'output');
  let template: string;
  if (input === undefined || input === '-') {
    template = await readStdin(io, 'The template read from stdin', MAX_TEMPLATE_BYTES);
  } else {
    let bytes: Buffer;
    try {
      bytes = await readFile(input);
    } catch (error) {
      throw new CofferError(
        'cli_usage',
        `Cannot read the template ${input} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: error },
      );
    }
    template = decodeUtf8(bytes, `The template ${input}`);
  }
  if (
    output !== undefined &&
    output !== '-' &&
    input !== undefined &&
    resolve(input) === resolve(output)
  ) {
    throw new CofferError('cli_usage', 'The output file must not be the template itself.');
  }
  const references = templateReferences(template);
  const values = new Map<string, string>();
  if (references.length > 0) {
    const { client } = await openClient(args, io);
    const resolved = await client.resolveMany(references);
    references.forEach((reference, i) => values.set(reference, resolved[i]?.value ?? ''));
  }
  const rendered = renderTemplate(template, values);
  if (output === undefined || output === '-') {
    io.write(rendered);
    return EXIT.ok;
  }
  try {
    await writeFileAtomic(output, rendered);
  } catch (error) {
    throw new CofferError(
      'cli_usage',
      `Cannot write ${output} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check that ` +
        `${dirname(output)} exists and is writable.`,
      { cause: error },
    );
  }
  return EXIT.ok;
}
