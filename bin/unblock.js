#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('unblock: not built yet. Run `npm install` (or `npm run build`) in the project folder first.\n');
  process.exit(1);
}
const { runCli } = await import(main.href);
await runCli(process.argv.slice(2));
