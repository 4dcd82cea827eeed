/**
 * Call cryptography throughput, against SHA-256 of the same buffers measured in the same run
 * (absolute numbers on shared machines are noise; ratios are what to compare).
 *
 *   npm run bench:crypto [-- --json]
 */
import { createHash, randomBytes } from 'node:crypto';

import {
  CallKey,
  DhExchange,
  TELEGRAM_DH_GENERATOR,
  decryptSignalingPacket,
  encryptSignalingPacket,
  telegramDhPrime,
} from '../lib/crypto';

function measure(seconds: number, work: () => number): number {
  // Returns units per second (the work reports how many units one call did).
  const deadline = performance.now() + seconds * 1000;
  let units = 0;
  const start = performance.now();
  while (performance.now() < deadline) units += work();
  return units / ((performance.now() - start) / 1000);
}

function main(): void {
  const json = process.argv.includes('--json');
  const seconds = process.argv.includes('--quick') ? 0.5 : 2;
  const p = telegramDhPrime();
  const peer = new DhExchange(p, TELEGRAM_DH_GENERATOR);

  // Handshakes: one side's keypair, the shared key and its fingerprint.
  const handshakesPerSecond = measure(seconds, () => {
    const own = new DhExchange(p, TELEGRAM_DH_GENERATOR);
    const key = own.computeKey(peer.publicValue);
    key.fingerprint();
    key.release();
    own.release();
    return 1;
  });
  // Baseline: SHA-256 of the 256-byte public value, the cheapest step of a handshake.
  const sha256PerSecond = measure(seconds, () => {
    createHash('sha256').update(peer.publicValue).digest();
    return 1;
  });

  const key = new CallKey(randomBytes(256));
  const keyBytes = key.exportBytes();
  key.release();
  const packet = randomBytes(1024);
  packet.writeUInt32BE(1, 0);
  const encrypted = encryptSignalingPacket(keyBytes, true, packet);
  const mb = (bytesPerSecond: number): number => bytesPerSecond / 1e6;
  const encryptMBs = mb(
    measure(seconds, () => {
      encryptSignalingPacket(keyBytes, true, packet);
      return packet.length;
    }),
  );
  const decryptMBs = mb(
    measure(seconds, () => {
      decryptSignalingPacket(keyBytes, false, encrypted);
      return packet.length;
    }),
  );
  const sha256MBs = mb(
    measure(seconds, () => {
      createHash('sha256').update(packet).digest();
      return packet.length;
    }),
  );

  const result = {
    handshakesPerSecond: Math.round(handshakesPerSecond),
    sha256PerSecond256B: Math.round(sha256PerSecond),
    handshakeCostInSha256: Math.round(sha256PerSecond / handshakesPerSecond),
    encryptMBs: Number(encryptMBs.toFixed(1)),
    decryptMBs: Number(decryptMBs.toFixed(1)),
    sha256MBs1KB: Number(sha256MBs.toFixed(1)),
    encryptRatioToSha256: Number((encryptMBs / sha256MBs).toFixed(2)),
    decryptRatioToSha256: Number((decryptMBs / sha256MBs).toFixed(2)),
  };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`DH handshake (keypair + shared key + fingerprint): ${result.handshakesPerSecond}/s`);
  console.log(`  = the time of ${result.handshakeCostInSha256} SHA-256 hashes of 256 bytes`);
  console.log(
    `signaling encrypt, 1 KB packets: ${result.encryptMBs} MB/s (${result.encryptRatioToSha256}× SHA-256 of the same buffers)`,
  );
  console.log(
    `signaling decrypt, 1 KB packets: ${result.decryptMBs} MB/s (${result.decryptRatioToSha256}× SHA-256 of the same buffers)`,
  );
  console.log(`baseline SHA-256 (node:crypto), 1 KB buffers: ${result.sha256MBs1KB} MB/s`);
}

main();
