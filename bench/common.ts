/**
 * Helpers shared by the benchmarks: process measurements (CPU, RSS, threads), statistics,
 * argument parsing, the JSON-line protocol between a measuring child and `bench/run.ts`.
 */
import { execFile } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';

/** Reads `--name value` (or `--name=value`) from argv; `fallback` when absent. */
export function numberArg(name: string, fallback: number): number {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === `--${name}`) return Number(argv[i + 1] ?? fallback);
    if (arg.startsWith(`--${name}=`)) return Number(arg.slice(name.length + 3));
  }
  return fallback;
}

export function stringArg(name: string, fallback: string): string {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === `--${name}`) return argv[i + 1] ?? fallback;
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return fallback;
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** Marks the one line a child prints for the parent to collect. */
export const resultPrefix = 'BENCH-RESULT ';

export function emitResult(result: object): void {
  process.stdout.write(resultPrefix + JSON.stringify(result) + '\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CPU time of the whole process (every thread), seconds. */
export function processCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export function rssMiB(): number {
  return process.memoryUsage().rss / 1048576;
}

export function threadCount(): number {
  return fs.readdirSync('/proc/self/task').length;
}

const clockTicksPerSecond = 100; // USER_HZ on Linux

/** CPU seconds of each thread of this process so far, summed by thread name. */
export function cpuByThreadName(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    // Thread names of the same kind differ only by a number suffix (e.g. "AudioEncoder").
    const name = stat.slice(open + 1, close).replace(/[\d_-]+$/, '') || 'unnamed';
    const fields = stat
      .slice(close + 2)
      .split(' ')
      .map((field) => Number(field));
    // After the name: state(0) … utime(11) stime(12), in clock ticks.
    const seconds = ((fields[11] ?? 0) + (fields[12] ?? 0)) / clockTicksPerSecond;
    byName.set(name, (byName.get(name) ?? 0) + seconds);
  }
  return byName;
}

/** Thread counts by thread name (numbered names folded together). */
export function threadsByName(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let comm: string;
    try {
      comm = fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const name = comm.replace(/[\d_-]+$/, '') || 'unnamed';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Per-thread-name CPU between two snapshots, as percent of one core over `seconds`. */
export function threadCpuPercent(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, total] of after) {
    const used = total - (before.get(name) ?? 0);
    if (used > 0) result[name] = round((100 * used) / seconds, 1);
  }
  return result;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * The latency baseline measured next to the calls: median round trip of a 100-byte UDP
 * datagram between two Node sockets on 127.0.0.1 — what this machine's scheduler and loopback
 * network cost right now, with the same event loop that runs the calls.
 */
export async function udpRoundTripMs(samples = 50): Promise<number> {
  const a = dgram.createSocket('udp4');
  const b = dgram.createSocket('udp4');
  await Promise.all([
    new Promise<void>((resolve) => a.bind(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => b.bind(0, '127.0.0.1', resolve)),
  ]);
  b.on('message', (message, remote) => {
    b.send(message, remote.port, remote.address);
  });
  const payload = Buffer.alloc(100);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        a.once('message', () => {
          resolve();
        });
        a.send(payload, b.address().port, '127.0.0.1');
      });
      times.push(performance.now() - started);
    }
  } finally {
    a.close();
    b.close();
  }
  return median(times);
}

/**
 * Runs a tool and resolves with its stdout; rejects with its stderr on failure. A tool that
 * hangs past `timeoutMs` fails its benchmark instead of the whole run.
 */
export function execText(file: string, args: string[], timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 64 << 20, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
