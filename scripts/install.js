#!/usr/bin/env node
// npm's install hook: use the prebuild when it loads here; otherwise install the Debian
// packages the build needs and build the addon with cmake-js.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const prebuild = path.join(
  root,
  'prebuilds',
  `${process.platform}-${process.arch}`,
  'node.napi.node',
);
const isDevelopmentClone = fs.existsSync(path.join(root, 'test'));

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function prebuildLoads() {
  if (!fs.existsSync(prebuild)) return false;
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(prebuild)})`]);
  return probe.status === 0;
}

if (process.platform !== 'linux') {
  console.error('node-tgcalls supports Linux (Debian 12 and compatible) only.');
  process.exit(1);
}

// A development clone also needs the test tools, so it always runs the full package check.
run(path.join(root, 'scripts', 'install-system-deps'), isDevelopmentClone ? [] : ['--build']);
if (!isDevelopmentClone && prebuildLoads()) process.exit(0);
run(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'build', '--out', 'build']);
