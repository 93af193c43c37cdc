import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import argon2Native from 'argon2';
import { argon2id as hashWasmArgon2id } from 'hash-wasm';
import {
  createArgon2WasmBackend,
  deriveArgon2id,
  setArgon2Backend,
  toHex,
  type Argon2Params,
} from '../../shared/crypto/index.ts';
import { report, timeMedian } from './report.ts';

/**
 * Argon2id at Coffer's defaults (64 MiB, 3 passes, 4 lanes) through argon2-browser's SIMD build
 * (what Coffer ships), against hash-wasm and the native `argon2` npm package in the same run.
 * Goal: within 1.6x of `argon2`. argon2-browser's plain build is measured for the record in a
 * child process, because the package keeps one wasm instance per realm.
 */

const PARAMS: Argon2Params = { memoryKiB: 65536, passes: 3, lanes: 4, length: 32 };
const RUNS = 5;
const password = new TextEncoder().encode('correct horse battery staple');
const salt = new TextEncoder().encode('alice@example.com/salt');
const require = createRequire(import.meta.url);

function installArgon2Browser(file: 'argon2-simd.wasm' | 'argon2.wasm') {
  const path = require.resolve(`argon2-browser/dist/${file}`);
  setArgon2Backend(createArgon2WasmBackend(async () => new Uint8Array(await readFile(path))));
}

async function timeArgon2Browser(): Promise<{ ms: number; hex: string }> {
  const hex = toHex(await deriveArgon2id(password, salt, PARAMS));
  const ms = await timeMedian(RUNS, () => deriveArgon2id(password, salt, PARAMS));
  return { ms, hex };
}

if (process.argv.includes('--plain-child')) {
  installArgon2Browser('argon2.wasm');
  console.log(JSON.stringify(await timeArgon2Browser()));
  process.exit(0);
}

function timePlainInChild(): { ms: number; hex: string } {
  const child = spawnSync(process.execPath, [process.argv[1]!, '--plain-child'], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`plain argon2-browser child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; hex: string };
}

const nativeOptions = {
  raw: true as const,
  // The package types its argon2id constant as number but the option as 0 | 1 | 2.
  type: argon2Native.argon2id as 2,
  memoryCost: PARAMS.memoryKiB,
  timeCost: PARAMS.passes,
  parallelism: PARAMS.lanes,
  hashLength: PARAMS.length,
  salt: Buffer.from(salt),
};
const nativeHex = (await argon2Native.hash(Buffer.from(password), nativeOptions)).toString('hex');
const native = await timeMedian(RUNS, () =>
  argon2Native.hash(Buffer.from(password), nativeOptions),
);

const hashWasmOptions = {
  password,
  salt,
  parallelism: PARAMS.lanes,
  iterations: PARAMS.passes,
  memorySize: PARAMS.memoryKiB,
  hashLength: PARAMS.length,
  outputType: 'hex' as const,
};
const hashWasmHex = await hashWasmArgon2id(hashWasmOptions);
const hashWasm = await timeMedian(RUNS, () => hashWasmArgon2id(hashWasmOptions));

installArgon2Browser('argon2-simd.wasm');
const simd = await timeArgon2Browser();
const plain = timePlainInChild();

// A benchmark of a wrong answer is worthless: all four must agree.
for (const [name, hex] of [
  ['hash-wasm', hashWasmHex],
  ['argon2-browser SIMD', simd.hex],
  ['argon2-browser plain', plain.hex],
]) {
  if (hex !== nativeHex) throw new Error(`${name} disagrees with the argon2 package`);
}

console.log(
  `Argon2id m=${PARAMS.memoryKiB} KiB t=${PARAMS.passes} p=${PARAMS.lanes}, median of ${RUNS}:` +
    ` argon2 (native) ${native.toFixed(0)} ms, hash-wasm ${hashWasm.toFixed(0)} ms,` +
    ` argon2-browser SIMD ${simd.ms.toFixed(0)} ms, plain ${plain.ms.toFixed(0)} ms`,
);
report('argon2id.64MiB.argon2-native', native, 'ms');
report('argon2id.64MiB.hash-wasm', hashWasm, 'ms', native);
report('argon2id.64MiB.argon2-browser-simd', simd.ms, 'ms', native);
report('argon2id.64MiB.argon2-browser-plain', plain.ms, 'ms', native);
