#!/usr/bin/env node
// Runs every benchmark of the project: each `bench/<area>/*.bench.ts` (or .mjs) is bundled for
// Node with Vite (Node 20 cannot run TypeScript, and tsx is not installed) and run in its own
// process, so one bench's memory (a 64 MiB Argon2 heap, 100,000 blobs) never skews another.
//
// A bench reports a result by printing one JSON line to stdout:
//   {"bench": "...", "value": 123.4, "unit": "ms", "baseline": 100.0, "ratio": 1.234}
// (baseline and ratio may be null); anything else it prints is shown as-is. The runner
// echoes the JSON lines, prints a table, and writes all results to bench/results/latest.json.
// Benchmarks are informative, never a CI gate: a failing bench is reported, the exit code is 1.
//
// Usage: npm run bench [-- <substring of bench file path>...]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const benchDir = join(root, 'bench');
const outDir = join(benchDir, 'results');
// Bundles go where lint, format and git never look, one folder per run so that two runs at once
// never delete each other's bundles.
const buildDir = join(root, 'node_modules', '.cache', 'coffer-bench', String(process.pid));
const filters = process.argv.slice(2);

function findBenches() {
  const found = [];
  for (const area of readdirSync(benchDir)) {
    const dir = join(benchDir, area);
    if (area === 'results' || !statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) {
      if (/\.bench\.(ts|mjs)$/.test(file)) found.push(join(dir, file));
    }
  }
  return found
    .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
    .sort();
}

async function bundle(entry) {
  const name = relative(benchDir, entry)
    .replace(/[\\/]/g, '__')
    .replace(/\.(ts|mjs)$/, '.mjs');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: entry,
      outDir: buildDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: name } },
    },
  });
  return join(buildDir, name);
}

function run(file) {
  return new Promise((resolveRun) => {
    const results = [];
    const child = spawn(process.execPath, ['--expose-gc', file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const result = parseResult(line);
        if (result) results.push(result);
        process.stdout.write(`${line}\n`);
      }
    });
    child.on('close', (code) => {
      if (pending) process.stdout.write(`${pending}\n`);
      resolveRun({ code, results });
    });
  });
}

function parseResult(line) {
  if (!line.startsWith('{"bench"')) return undefined;
  try {
    const value = JSON.parse(line);
    return typeof value.bench === 'string' && typeof value.value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function table(results) {
  const rows = results.map((r) => [
    r.bench,
    `${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}`,
    r.baseline == null ? '' : `${r.baseline.toFixed(r.baseline < 10 ? 2 : 0)} ${r.unit}`,
    r.ratio == null ? '' : `${r.ratio.toFixed(2)}x`,
  ]);
  const head = ['bench', 'value', 'baseline', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const benches = findBenches();
if (benches.length === 0) {
  process.stdout.write('no benchmarks matched\n');
  process.exit(1);
}
rmSync(buildDir, { recursive: true, force: true });
mkdirSync(buildDir, { recursive: true });

const all = [];
let failures = 0;
// Figures from a busy machine are not comparable; the load averages are kept with them.
const loadBefore = loadavg();
for (const entry of benches) {
  const label = relative(root, entry);
  process.stdout.write(`\n=== ${label}\n`);
  try {
    const { code, results } = await run(await bundle(entry));
    all.push(...results.map((r) => ({ ...r, file: label })));
    if (code !== 0) {
      failures += 1;
      process.stdout.write(`=== ${label} exited with ${code}\n`);
    }
  } catch (error) {
    failures += 1;
    process.stdout.write(`=== ${label} failed to build: ${error.message}\n`);
  }
}

rmSync(buildDir, { recursive: true, force: true });

const cpuList = cpus();
const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: cpuList.length,
  cpuModel: cpuList[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverage1mBefore: Number(loadBefore[0].toFixed(2)),
  loadAverage1mAfter: Number(loadavg()[0].toFixed(2)),
  results: all,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `\n${table(all)}\n\n${cpuList.length} CPUs, 1-minute load average ${report.loadAverage1mBefore} → ${report.loadAverage1mAfter}\nwrote ${relative(root, join(outDir, 'latest.json'))}\n`,
);
process.exit(failures > 0 ? 1 : 0);
