import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleCli } from '../../../../scripts/cli-bundle.mjs';

const root = resolve(import.meta.dirname, '../../../..');

/**
 * Bundles cli/main.ts exactly as the installed `coffer` is built (scripts/cli-bundle.mjs), so each
 * test runs the real CLI in a child process. The bundle lives under node_modules/.cache, where
 * lint and git never look.
 */
export async function buildCli(): Promise<string> {
  const base = join(root, 'node_modules', '.cache', 'coffer-cli-test');
  mkdirSync(base, { recursive: true });
  return bundleCli(mkdtempSync(join(base, 'build-')));
}

export { runCli, tempHome, type CliOptions, type CliResult } from '../../../support/cli-process.ts';
