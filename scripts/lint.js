#!/usr/bin/env node
// npm run lint: prettier, eslint (TypeScript, type-aware) and clang-format, all checks only.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const checks = [
  [bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  [bin('eslint'), ['--max-warnings', '0', '.']],
  [process.execPath, [path.join(__dirname, 'clang-format.js')]],
];
let failed = false;
for (const [command, args] of checks) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
