#!/usr/bin/env node
// npm run test:native: builds the pure C++ core (no WebRTC, seconds to compile) with its
// GoogleTest suite in build/native-tests and runs it.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// --sanitize: the same tests under AddressSanitizer and UBSan, in their own build directory
// (.ci/run does both; the pure code is small enough that the sanitized build is minutes).
const sanitize = process.argv.includes('--sanitize');
const buildDir = path.join(root, 'build', sanitize ? 'native-tests-sanitized' : 'native-tests');
const sanitizerFlags =
  '-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('cmake', [
  '-S',
  root,
  '-B',
  buildDir,
  '-G',
  'Ninja',
  '-DCMAKE_BUILD_TYPE=Release',
  '-DTGCALLS_BUILD_ADDON=OFF',
  '-DTGCALLS_BUILD_TESTS=ON',
  ...(sanitize
    ? [`-DCMAKE_CXX_FLAGS=${sanitizerFlags}`, `-DCMAKE_EXE_LINKER_FLAGS=${sanitizerFlags}`]
    : []),
]);
run('cmake', ['--build', buildDir, '--parallel', '2']);
run(path.join(buildDir, 'native', 'test', 'native_tests'), ['--gtest_brief=1']);
