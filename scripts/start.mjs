#!/usr/bin/env node
// `npm start`: the embedded default of DESIGN.md on one machine — the vault server on loopback
// with SQLite in a local data folder, the development identity provider with a seeded demo user,
// and the desktop app pointed at that server. Where the Electron runtime cannot be launched, it
// says so and prints the address of the web build instead. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dataDir = process.env.COFFER_DATA_DIR ?? join(root, '.coffer-data');

// What the build reads and what it writes. A second start skips a build that is already newer
// than every source, which on a small machine saves a minute or two.
const SOURCES = ['electron', 'renderer', 'shared', 'server', 'cli', 'scripts', 'package-lock.json'];
const OUTPUTS = [
  'out/main/index.cjs',
  'out/renderer/index.html',
  'dist/server/main.js',
  'dist/cli-bundle/coffer.cjs',
];

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules') newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

function buildIsCurrent() {
  const outputs = OUTPUTS.map((file) => join(root, file));
  if (!outputs.every((file) => existsSync(file))) return false;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const sources = SOURCES.map((path) => join(root, path)).filter((path) => existsSync(path));
  return Math.max(...sources.map(newestSource)) < oldestOutput;
}

if (buildIsCurrent()) {
  process.stdout.write('npm start: the build is newer than every source; not rebuilding.\n');
} else {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('npm start: the build failed; see the output above.\n');
    process.exit(1);
  }
}

mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const env = {
  ...process.env,
  COFFER_DATABASE_URL: process.env.COFFER_DATABASE_URL ?? join(dataDir, 'coffer.sqlite'),
  COFFER_DEV_IDP: process.env.COFFER_DEV_IDP ?? 'true',
};
const server = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});

let electron;
let serverUrl;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const match = /Coffer server listening on (\S+)/.exec(String(chunk));
  if (match && !serverUrl) {
    serverUrl = match[1];
    electron = launchDesktopApp(serverUrl);
  }
});

/** The Electron binary comes from a download the npm package makes on first use; check for it. */
function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function launchDesktopApp(url) {
  const binary = electronBinary();
  if (!binary) {
    process.stdout.write(
      [
        '',
        '  The Electron runtime is not installed on this machine (its binary is downloaded from',
        '  outside the npm registry), so the desktop app cannot open here.',
        `  Open the web build instead: ${url}/`,
        '  Press Ctrl+C to stop.',
        '',
      ].join('\n') + '\n',
    );
    return undefined;
  }
  const child = spawn(binary, [root], {
    cwd: root,
    env: { ...process.env, COFFER_SERVER_URL: url },
    stdio: 'inherit',
  });
  child.on('exit', () => stop(0));
  return child;
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  electron?.kill('SIGTERM');
  server.kill('SIGTERM');
  server.once('exit', () => process.exit(code));
}

server.on('exit', (code) => {
  if (!stopping) {
    process.stderr.write(`npm start: the server stopped (exit ${code}).\n`);
    electron?.kill('SIGTERM');
    process.exit(code ?? 1);
  }
});
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
