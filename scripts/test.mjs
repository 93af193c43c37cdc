#!/usr/bin/env node
// Runs every test suite from a plain clone and ends with one summary line, "N passed, N failed",
// which CI reads. Each stage is a real child process so a crash in one is reported, not hidden.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const resultsDir = 'test-results';
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
// Skipped tests are neither: an Electron check without the runtime, or the rest of a serial
// journey after a failed step. They are printed so a skip never passes for a pass.
let skipped = 0;
let stageFailures = 0;

function run(name, command, args) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    stageFailures += 1;
    process.stdout.write(`=== ${name} exited with ${result.status ?? result.signal}\n`);
  }
  return result.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return true;
}

run('lint', 'npx', ['eslint', '.']);
run('format', 'npx', ['prettier', '--check', '.']);
run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('build', 'npm', ['run', 'build']);

for (const project of ['node', 'chromium']) {
  const out = join(resultsDir, `vitest-${project}.json`);
  run(`vitest ${project}`, 'npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  if (!countVitest(out)) failed += 1;
}

// End to end: the web build in Debian's Chromium against the real server and development
// identity provider, which the Playwright global setup starts (playwright.config.ts).
const e2eReport = join(resultsDir, 'e2e-report.json');
run('e2e', 'npx', ['playwright', 'test']);
if (existsSync(e2eReport)) {
  const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats ?? {};
  passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed += stats.unexpected ?? 0;
  skipped += stats.skipped ?? 0;
} else {
  failed += 1;
}

// A broken lint, type check or build counts as a failure even when every test passed.
failed += stageFailures && failed === 0 ? stageFailures : 0;
process.stdout.write(`\n${skipped} skipped\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || stageFailures > 0 ? 1 : 0);
