#!/usr/bin/env node
// Checks (or with --fix, applies) clang-format on every C++ file under native/.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function cppFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return cppFiles(full);
    return /\.(cpp|h)$/.test(entry.name) ? [full] : [];
  });
}

const files = cppFiles(path.join(root, 'native'));
const args = process.argv.includes('--fix')
  ? ['-i', ...files]
  : ['--dry-run', '--Werror', ...files];
const result = spawnSync('clang-format', args, { stdio: 'inherit' });
if (result.error) {
  console.error('clang-format is missing: run scripts/install-system-deps');
  process.exit(1);
}
process.exit(result.status ?? 1);
