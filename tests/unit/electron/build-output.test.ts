import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm test` builds before it tests; a plain `vitest run` on a fresh clone has no out/ yet.
const preload = 'out/preload/index.cjs';
const main = 'out/main/index.cjs';
const reason = 'skipped: out/ is missing; run `npm run build:app` (npm test does) first';

function requires(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? '');
}

describe('electron-vite build output', () => {
  it('emits a sandbox-compatible preload that requires only electron', (context) => {
    if (!existsSync(preload)) return context.skip(reason);
    // A sandboxed preload can require only a few built-in modules; a bundled validator or any
    // other package would make it fail to load.
    expect(new Set(requires(preload))).toEqual(new Set(['electron']));
    expect(readFileSync(preload, 'utf8')).toContain('exposeInMainWorld');
  });

  it('emits a CommonJS main entry that package.json points at', (context) => {
    if (!existsSync(main)) return context.skip(reason);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe(main);
    expect(requires(main)).toContain('electron');
    expect(readFileSync(main, 'utf8')).not.toMatch(/^\s*import\s/m);
  });
});
