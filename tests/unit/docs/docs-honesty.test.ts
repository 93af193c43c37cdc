import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENV as CLI_ENV } from '../../../cli/config/paths.ts';
import { SERVER_URL_VARIABLE } from '../../../electron/main/default-server.ts';
import { loadConfig, parseConfig } from '../../../server/config/load.ts';
import { configSchema } from '../../../server/config/schema.ts';

// Keeps README.md, docs/ and cli/README.md true to the code: the settings they name exist, the
// settings that exist are named, their example configurations load, and their links resolve.

const root = join(import.meta.dirname, '../../..');
const docsDir = join(root, 'docs');

const DOCUMENTS = [
  'README.md',
  'cli/README.md',
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const OPERATOR_DOCUMENTS = DOCUMENTS.filter((doc) => doc !== 'cli/README.md');

const text = (path: string): string => readFileSync(join(root, path), 'utf8');

interface CodeBlock {
  doc: string;
  lang: string;
  body: string;
}

function codeBlocks(doc: string): CodeBlock[] {
  return [...text(doc).matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    doc,
    lang: m[1] ?? '',
    body: m[2] ?? '',
  }));
}

/** The variables the server's configuration loader reads, observed by loading from a spy. */
function variablesTheServerReads(): Set<string> {
  const read = new Set<string>();
  const spy = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    },
  );
  loadConfig(spy);
  return read;
}

/** `npm start` has its own: read, not just passed on, by scripts/start.mjs. */
function variablesStartReads(): Set<string> {
  const source = text('scripts/start.mjs');
  return new Set([...source.matchAll(/process\.env\.(COFFER_[A-Z0-9_]+)/g)].map((m) => m[1]!));
}

const SERVER_VARIABLES = variablesTheServerReads();
const KNOWN_VARIABLES = new Set([
  ...SERVER_VARIABLES,
  ...Object.values(CLI_ENV),
  ...variablesStartReads(),
  SERVER_URL_VARIABLE,
]);

/** Field names of an object schema, through defaults, optionals and arrays, at every depth. */
function fieldNames(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) {
    return fieldNames(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodArray) return fieldNames(schema.element as z.ZodType);
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([name, inner]) => [
    name,
    ...fieldNames(inner),
  ]);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** `[text](target)` and `![alt](target)` outside code blocks, relative targets only. */
function relativeLinks(doc: string): string[] {
  const prose = text(doc).replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the documentation', () => {
  it('names only COFFER_ variables that the server, the CLI, npm start or the app reads', () => {
    const unknown = DOCUMENTS.flatMap((doc) =>
      [...text(doc).matchAll(/\bCOFFER_[A-Z0-9_]+/g)]
        .map((m) => m[0])
        .filter((name) => !KNOWN_VARIABLES.has(name))
        .map((name) => `${doc}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('documents every variable the server reads, in the README and in docs/deployment.md', () => {
    expect(SERVER_VARIABLES.size).toBeGreaterThan(5);
    const missing = ['README.md', 'docs/deployment.md'].flatMap((doc) =>
      [...SERVER_VARIABLES]
        .filter((name) => !text(doc).includes(`\`${name}\``))
        .map((name) => `${doc}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents every setting of the configuration file, nested ones included', () => {
    const docs = OPERATOR_DOCUMENTS.map(text).join('\n');
    const topLevel = Object.keys(configSchema.shape);
    expect(topLevel.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
    const nested = fieldNames(configSchema).filter((name) => !topLevel.includes(name));
    expect(nested).toContain('allowedEmailDomains');
    expect(nested.filter((name) => !new RegExp(`\\b${name}\\b`).test(docs))).toEqual([]);
  });

  const jsonBlocks = OPERATOR_DOCUMENTS.flatMap(codeBlocks).filter((b) => b.lang === 'json');

  it('has example configuration files', () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(jsonBlocks.map((b, i) => [`${b.doc} #${i}`, b] as const))(
    'gives an example file that the server accepts: %s',
    (_name, block) => {
      expect(() => parseConfig(JSON.parse(block.body))).not.toThrow();
    },
  );

  const shellExamples = OPERATOR_DOCUMENTS.flatMap(codeBlocks)
    .filter((b) => b.lang === 'sh')
    .map((b) => ({
      doc: b.doc,
      env: Object.fromEntries(
        [...b.body.matchAll(/\b(COFFER_[A-Z0-9_]+)=(?:'([^']*)'|"([^"]*)"|([^\s'"\\]+))/g)]
          .filter((m) => SERVER_VARIABLES.has(m[1]!) && m[1] !== 'COFFER_SERVER_CONFIG')
          .map((m) => [m[1]!, m[2] ?? m[3] ?? m[4] ?? '']),
      ),
    }))
    .filter((example) => Object.keys(example.env).length > 0);

  it('has example environments', () => {
    expect(shellExamples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(shellExamples.map((e, i) => [`${e.doc} #${i}`, e.env] as const))(
    'gives example variables that the server accepts: %s',
    (_name, env) => {
      expect(() => loadConfig(env)).not.toThrow();
    },
  );

  it('links only to files and headings that exist', () => {
    const broken = DOCUMENTS.flatMap((doc) =>
      relativeLinks(doc).flatMap((target) => {
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? join(root, doc) : join(root, dirname(doc), path);
        const where = `${doc} -> ${target}`;
        if (!existsSync(file)) return [`${where} (no ${relative(root, file)})`];
        if (anchor !== undefined && file.endsWith('.md')) {
          if (!anchors(readFileSync(file, 'utf8')).has(anchor)) return [`${where} (no heading)`];
        }
        return [];
      }),
    );
    expect(broken).toEqual([]);
  });
});
