// Child process of test/engine-security.test.ts: does the call key or a DH exponent survive
// anywhere in this process's memory once released? Scans every writable mapping through
// /proc/self/mem. The secrets are only ever held masked (XOR with a random mask) in
// JavaScript, so the scan cannot find the test's own copy. Prints one JSON line.
'use strict';
/* global Buffer, setTimeout */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const dist = process.argv[2];
const { DhExchange, telegramDhPrime } = require(path.join(dist, 'crypto', 'index.js'));
const { NativeCallEngine } = require(path.join(dist, 'engine', 'native-engine.js'));

// A secret kept masked: `masked` XOR `mask` is the secret; neither alone is.
function maskSecret(secret) {
  const mask = crypto.randomBytes(secret.length);
  const masked = Buffer.alloc(secret.length);
  for (let i = 0; i < secret.length; i++) masked[i] = secret[i] ^ mask[i];
  secret.fill(0);
  return { masked, mask };
}

const windowSize = 32;
const windowOffsets = [0, 64, 128, 224];

// Whether any of the secret's 32-byte windows is in writable memory.
function inMemory(secret) {
  const maps = fs.readFileSync('/proc/self/maps', 'utf8').split('\n');
  const fd = fs.openSync('/proc/self/mem', 'r');
  const chunk = Buffer.alloc(1 << 20);
  const needles = windowOffsets.map((offset) => {
    // Only the first 4 bytes are ever unmasked, and 4 bytes are not the secret.
    const prefix = Buffer.alloc(4);
    for (let i = 0; i < 4; i++) prefix[i] = secret.masked[offset + i] ^ secret.mask[offset + i];
    return { offset, prefix };
  });
  const matchesAt = (buffer, at, offset) => {
    if (at + windowSize > buffer.length) return false;
    for (let i = 0; i < windowSize; i++) {
      if ((buffer[at + i] ^ secret.mask[offset + i]) !== secret.masked[offset + i]) return false;
    }
    return true;
  };
  let found = 0;
  try {
    for (const line of maps) {
      const match = /^([0-9a-f]+)-([0-9a-f]+) rw/.exec(line);
      if (!match) continue;
      const start = parseInt(match[1], 16);
      const end = parseInt(match[2], 16);
      for (let at = start; at < end; at += chunk.length - windowSize) {
        let read = 0;
        try {
          read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at);
        } catch {
          break; // unreadable mapping
        }
        const view = chunk.subarray(0, read);
        for (const { offset, prefix } of needles) {
          for (let hit = view.indexOf(prefix); hit >= 0; hit = view.indexOf(prefix, hit + 1)) {
            if (matchesAt(view, hit, offset)) found++;
          }
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return found;
}

// Exponents from the CSPRNG, handed over and wiped at once; the key read once, masked.
const p = telegramDhPrime();
const secretA = crypto.randomBytes(256);
const secretB = crypto.randomBytes(256);
const a = DhExchange.fromSecret(p, 3, secretA);
const b = DhExchange.fromSecret(p, 3, secretB);
const exponentA = maskSecret(secretA);
const exponentB = maskSecret(secretB);
const callerKey = a.computeKey(b.publicValue);
const calleeKey = b.computeKey(a.publicValue);
const key = maskSecret(callerKey.exportBytes());

const report = {};
report.exponentWhileHeld = inMemory(exponentA);
a.release();
b.release();
report.exponentAfterRelease = inMemory(exponentA) + inMemory(exponentB);

const config = { connectTimeoutMs: 30000, packetTimeoutMs: 10000 };
const common = {
  version: process.argv[3],
  rtcServers: [],
  enableP2P: true,
  customParameters: {},
  config,
  video: false,
};
const caller = new NativeCallEngine({ ...common, key: callerKey, isOutgoing: true });
const callee = new NativeCallEngine({ ...common, key: calleeKey, isOutgoing: false });
caller.on('signalingData', (d) => callee.receiveSignalingData(d));
callee.on('signalingData', (d) => caller.receiveSignalingData(d));
const established = new Promise((resolve) =>
  caller.on('state', (s) => s === 'established' && resolve()),
);
caller.start();
callee.start();
// The engines hold their own shares: JavaScript's can go at once.
callerKey.release();
calleeKey.release();

established
  .then(async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    report.keyDuringCall = inMemory(key);
    await Promise.all([caller.stop(), callee.stop()]);
    // No garbage collection: the engines are still referenced here.
    report.keyAfterCallEnded = inMemory(key);
    process.stdout.write(JSON.stringify(report));
  })
  .catch((error) => {
    process.stderr.write(String(error));
    process.exitCode = 1;
  });
