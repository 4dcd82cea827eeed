#!/usr/bin/env node
// npm run prebuild: builds the addon with cmake-js and places it where node-gyp-build looks
// for prebuilds (prebuildify's layout: prebuilds/<platform>-<arch>/node.napi.node).
// prebuildify itself only drives node-gyp (it has no cmake-js backend: prebuildify issue #49),
// and placing one file is all that is left of its job, so this script does it and the package
// does not depend on prebuildify.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'build', 'Release', 'node_tgcalls.node');
const target = path.join(
  root,
  'prebuilds',
  `${process.platform}-${process.arch}`,
  'node.napi.node',
);

const build = spawnSync(
  process.execPath,
  [require.resolve('cmake-js/bin/cmake-js'), 'build', '--out', 'build'],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(built, target);
// Debug sections are for local builds; a shipped prebuild keeps only what loading needs.
const strip = spawnSync('strip', ['--strip-debug', target], { stdio: 'inherit' });
if (strip.status !== 0) process.exit(strip.status ?? 1);
console.log(`prebuild written: ${path.relative(root, target)}`);
