/**
 * Where a call's memory goes: `bench/memory.ts` under valgrind's massif at two N, the heap by
 * allocation site in a snapshot taken while the calls carry audio, the difference per call.
 * valgrind is required: without it the profile fails with an error the runner records.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { execText, resultPrefix } from './common';
import { otherSite, parseMassif, snapshotToAttribute, type MassifSnapshot } from './massif';
import type { MemoryProfile } from './summary';

/** Sites down to 0.02 % of the heap (a few KiB) are named, not summed into massif's rest. */
const massifOptions = ['--tool=massif', '--threshold=0.02', '--depth=40'];

/** Under valgrind N = 4 takes about a minute on a busy machine; a hang fails the profile. */
const childTimeoutMs = 300_000;

/** Sites named in the profile; every smaller one goes into `other`. */
const namedSites = 15;

/**
 * The heap of `memory.js --calls N` under massif, snapshotted (through vgdb) once its calls
 * carry audio; massif's own whole-run file is not needed. valgrind runs the process about
 * 20× slower, so queues that keep up natively (the encoder's, the pacer's) may hold more here.
 */
async function heapOfLiveCalls(calls: number, workDir: string): Promise<MassifSnapshot> {
  const file = path.join(workDir, `massif-${calls}.out`);
  fs.rmSync(file, { force: true });
  const stdout = await execText(
    'valgrind',
    [
      ...massifOptions,
      '--massif-out-file=/dev/null',
      process.execPath,
      path.join(__dirname, 'memory.js'),
      '--calls',
      String(calls),
      '--snapshot',
      file,
    ],
    childTimeoutMs,
  );
  if (!stdout.split('\n').some((line) => line.startsWith(resultPrefix)))
    throw new Error(`memory.js --calls ${calls} printed no result`);
  const snapshot = snapshotToAttribute(parseMassif(fs.readFileSync(file, 'utf8')));
  fs.rmSync(file);
  return snapshot;
}

/**
 * Which allocation sites grow with N. The largest sites by name; `other` is the rest, massif's
 * sites below its threshold included, so that the sites add up to the heap per call.
 */
export async function memoryProfile(
  low: number,
  high: number,
  workDir: string,
): Promise<MemoryProfile> {
  try {
    await execText('valgrind', ['--version']);
  } catch {
    throw new Error('valgrind is not installed (apt-get install valgrind): no heap profile');
  }
  const a = await heapOfLiveCalls(low, workDir);
  const b = await heapOfLiveCalls(high, workDir);
  const perCall = (x: number, y: number): number => (y - x) / (high - low);
  const heapPerCall = perCall(a.heapBytes, b.heapBytes);
  const named = [...new Set([...a.sites.keys(), ...b.sites.keys()])]
    .filter((name) => name !== otherSite)
    .map((name) => ({ name, bytes: perCall(a.sites.get(name) ?? 0, b.sites.get(name) ?? 0) }))
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, namedSites)
    .filter((site) => site.bytes >= 1024);
  const rest = heapPerCall - named.reduce((sum, site) => sum + site.bytes, 0);
  const kib = (bytes: number): number => Math.round(bytes / 1024);
  return {
    callsLow: low,
    callsHigh: high,
    heapPerCallMiB: Math.round((heapPerCall / 1048576) * 100) / 100,
    sites: [
      ...named.map((site) => ({
        name: site.name.length > 110 ? `${site.name.slice(0, 107)}…` : site.name,
        kib: kib(site.bytes),
      })),
      { name: otherSite, kib: kib(rest) },
    ],
  };
}
