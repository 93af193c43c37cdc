#!/usr/bin/env node
// `npm run build:node` step: bundles the installed `coffer` into dist/cli-bundle/ (package.json
// `bin`). The bundling itself lives in cli-bundle.mjs, which tests and benchmarks import too.
import { join, resolve } from 'node:path';
import { bundleCli } from './cli-bundle.mjs';

const entry = await bundleCli(join(resolve(import.meta.dirname, '..'), 'dist/cli-bundle'));
process.stdout.write(`coffer CLI bundled: ${entry}\n`);
