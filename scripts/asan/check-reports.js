#!/usr/bin/env node
// Reads the AddressSanitizer/LeakSanitizer reports of scripts/asan-build (one file per
// process) and fails on every AddressSanitizer error, and on every leak that node-tgcalls
// made: allocated by code in the addon (our code or WebRTC inside it, frame #1 not in the node
// binary) on a stack that passes through native/ sources. What node and V8 allocate and do not
// free at process.exit() (heap metadata, externals and promises whose finalizers never ran) is
// counted but not ours.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
const ourSources = /\/native\/(addon|engine|crypto|media|webrtc)\//;
const nodeBinary = new RegExp(
  `\\(${process.execPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\+0x`,
);

function isOurs(block) {
  const first = block.split('\n').find((line) => /^\s+#1 /.test(line)) ?? '';
  return !nodeBinary.test(first) && ourSources.test(block);
}

let errors = 0;
let ownLeaks = 0;
let otherLeaks = 0;
for (const file of files) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  for (const block of text.split(/\n(?==+\n|Direct leak|Indirect leak)/)) {
    if (/ERROR: AddressSanitizer/.test(block)) {
      errors++;
      process.stderr.write(`${file}:\n${block.slice(0, 6000)}\n`);
    } else if (/^(Direct|Indirect) leak/.test(block)) {
      if (isOurs(block)) {
        ownLeaks++;
        process.stderr.write(`${file}: leak made by node-tgcalls:\n${block.slice(0, 4000)}\n`);
      } else {
        otherLeaks++;
      }
    }
  }
}
process.stdout.write(
  `asan: ${files.length} reports, ${errors} AddressSanitizer errors, ${ownLeaks} leaks made by ` +
    `node-tgcalls, ${otherLeaks} leaks of node/V8 at exit (not ours)\n`,
);
process.exit(errors > 0 || ownLeaks > 0 ? 1 : 0);
