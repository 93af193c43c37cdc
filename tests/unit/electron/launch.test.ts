import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Where the Electron binary would be. The electron package's index.js is not required for this:
 * requiring it starts a download of the runtime when the binary is missing.
 */
function electronBinary(): { path: string } | { reason: string } {
  const dir = resolve('node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      reason:
        `the Electron runtime is not installed (${pathFile} is missing): it is downloaded from ` +
        'outside the npm registry, which this machine cannot reach',
    };
  }
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = join(override ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary)
    ? { path: binary }
    : { reason: `the Electron runtime binary ${binary} does not exist` };
}

const runtime = electronBinary();
const built = existsSync('out/main/index.cjs') && existsSync('out/preload/index.cjs');

/**
 * Skips, saying why where every reporter shows it: Vitest's default and JSON reporters drop a
 * skip note, so without this line a run that never launched Electron reads like one that did.
 */
function skipBecause(context: { skip(note?: string): never }, reason: string): never {
  process.stderr.write(`Electron launch test skipped: ${reason}\n`);
  return context.skip(`skipped: ${reason}`);
}

describe('Electron launch (EL-01, EL-03, EL-06 on the real runtime)', () => {
  it('starts isolated and sandboxed, with only the bridge in the page', async (context) => {
    if ('reason' in runtime) return skipBecause(context, runtime.reason);
    if (!built) return skipBecause(context, 'run `npm run build:app` first (out/ is missing)');
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({ executablePath: runtime.path, args: [resolve('.')] });
    try {
      const page = await app.firstWindow();
      // No guest views or stray web contents: only our one window.
      const kinds = await app.evaluate(({ webContents }) =>
        webContents.getAllWebContents().map((contents) => contents.getType()),
      );
      expect(kinds).toEqual(['window']);
      const world = await page.evaluate(() => {
        const probe = globalThis as unknown as Record<string, unknown>;
        const script = document.createElement('script');
        script.textContent = 'globalThis.inlineRan = true';
        document.body.append(script);
        return {
          process: typeof probe['process'],
          require: typeof probe['require'],
          bridge: Object.keys((probe['coffer'] ?? {}) as object).sort(),
          inlineRan: probe['inlineRan'] === true,
          popup: window.open('https://example.com/') === null,
        };
      });
      expect(world).toEqual({
        process: 'undefined',
        require: 'undefined',
        bridge: ['clipboard', 'events', 'links', 'platform', 'settings', 'signin'],
        inlineRan: false,
        popup: true,
      });
    } finally {
      await app.close();
    }
  });
});
