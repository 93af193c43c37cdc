import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The boundaries of STYLE.md habit 1 are enforced by eslint.config.js; these cases prove each rule
// still fires (and does not fire on legitimate imports) so a config edit cannot silently drop one.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('import boundaries', () => {
  it.each([
    ['shared/example.ts', "import { readFileSync } from 'node:fs';"],
    ['shared/example.ts', "import { createHash } from 'crypto';"],
    ['shared/example.ts', "import { app } from 'electron';"],
    ['shared/example.ts', "import { x } from '../renderer/src/x.ts';"],
    ['shared/example.ts', "import { x } from '../server/x.ts';"],
    ['shared/example.ts', "import { useState } from 'react';"],
    ['renderer/src/example.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/example.ts', "import { x } from '../../electron/main/x.ts';"],
    ['renderer/src/example.ts', "import { join } from 'node:path';"],
    ['electron/main/example.ts', "import { App } from '../../renderer/src/App.tsx';"],
    ['server/example.ts', "import { x } from '../cli/x.ts';"],
    ['cli/example.ts', "import { x } from '../server/x.ts';"],
  ])('refuses %s importing: %s', async (file, source) => {
    expect(await restrictedImports(file, `${source}\nexport const y = x;\n`)).toBeGreaterThan(0);
  });

  it.each([
    ['shared/keys/example.ts', "import { x } from '../crypto/index.ts';"],
    ['renderer/src/example.ts', "import { x } from '../../shared/crypto/index.ts';"],
    ['electron/main/example.ts', "import { x } from 'node:path';"],
    ['server/example.ts', "import { x } from '../shared/errors.ts';"],
  ])('allows %s importing: %s', async (file, source) => {
    expect(await restrictedImports(file, `${source}\nexport const y = x;\n`)).toBe(0);
  });
});
