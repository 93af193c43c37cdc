#!/usr/bin/env node
// `npm start`: the embedded default of DESIGN.md on one machine — the vault server on loopback
// with SQLite in a local data folder, the development identity provider with a seeded demo user,
// and the desktop app pointed at that server. Where the Electron runtime cannot be launched, it
// says so and prints the address of the web build instead. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
const databaseUrl = process.env.COFFER_DATABASE_URL ?? join(dataDir, 'coffer.sqlite');
const devIdp = process.env.COFFER_DEV_IDP ?? 'true';
const logLevel = process.env.COFFER_LOG_LEVEL ?? 'warn';
const env = {
  ...process.env,
  COFFER_DATABASE_URL: databaseUrl,
  COFFER_DEV_IDP: devIdp,
  // One JSON line per request would scroll the sign-in details away; warnings still show.
  COFFER_LOG_LEVEL: logLevel,
};
const server = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});

// The server announces its address and the demo user in plain lines among its JSON log lines.
// Those are held back and shown once, in the banner, after start-up has finished.
const announced = {};
let electron;
let bannerShown = false;
eachLine(server.stdout, (line) => {
  if (bannerShown || line.startsWith('{')) {
    process.stdout.write(`${line}\n`);
    return;
  }
  const url = /Coffer server listening on (\S+)/.exec(line)?.[1];
  if (url) announced.url = url;
  const field = /^\s*(Demo user|Password):\s*(\S+)\s*$/.exec(line);
  if (field) announced[field[1] === 'Demo user' ? 'email' : 'password'] = field[2];
  const providerOff = devIdp === 'false' || devIdp === '0';
  if (announced.url && (providerOff || announced.password)) {
    bannerShown = true;
    electron = launchDesktopApp(announced.url);
    process.stdout.write(banner(announced, electron !== undefined));
  }
});

// oidc-provider warns on stderr that it wants Node 22 and that its store is in memory; both are
// expected for the development provider, and the banner says so rather than hiding them.
let providerWarned = false;
eachLine(server.stderr, (line) => {
  if (line.startsWith('oidc-provider WARNING:')) providerWarned = true;
  process.stderr.write(`${line}\n`);
});

function eachLine(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8').on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
  });
}

/** What a newcomer needs, printed last so that nothing scrolls it away. */
function banner({ url, email, password }, desktopApp) {
  const database = /^postgres(ql)?:\/\//.test(databaseUrl)
    ? '  Database:    PostgreSQL (COFFER_DATABASE_URL)'
    : `  Data folder: ${dirname(databaseUrl)} (kept between starts)`;
  const lines = [
    '',
    '  ----------------------------------------------------------------------------------',
    `  Coffer server listening on ${url}`,
    ...(desktopApp
      ? ['  The desktop app is opening.', `  Web vault:   ${url}/`]
      : [
          '  The Electron runtime is not installed on this machine (its binary is downloaded from',
          '  outside the npm registry), so the desktop app cannot open here.',
          `  Open the web build instead: ${url}/`,
        ]),
    '',
  ];
  if (password) {
    lines.push(
      '  Sign in with the DEVELOPMENT identity provider (never for real accounts) as:',
      `    Demo user: ${email}`,
      `    Password:  ${password}`,
      '  The password is shown only here and changes at every start; the account stays.',
      '',
    );
  }
  lines.push(
    database,
    `  Server log:  level ${logLevel} (COFFER_LOG_LEVEL=info shows every request)`,
  );
  if (providerWarned) {
    lines.push(
      '  The "oidc-provider WARNING" lines above are expected for the development provider:',
      '  it keeps its sign-in sessions in memory on purpose, and it runs on Node 20 too.',
    );
  }
  lines.push(
    '  Press Ctrl+C to stop the server and the identity provider.',
    '  ----------------------------------------------------------------------------------',
    '',
  );
  return lines.join('\n') + '\n';
}

/** The Electron binary comes from a download the npm package makes on first use; check for it. */
function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function launchDesktopApp(url) {
  const binary = electronBinary();
  if (!binary) return undefined;
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
  // 'close' comes after the server's last output has been read and passed on.
  server.once('close', () => process.exit(code));
}

server.on('close', (code) => {
  if (!stopping) {
    process.stderr.write(`npm start: the server stopped (exit ${code}).\n`);
    electron?.kill('SIGTERM');
    process.exit(code ?? 1);
  }
});
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
