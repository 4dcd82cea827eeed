/**
 * `npm run bench [-- --quick] [-- --json] [-- --report]` (`npm run -s` keeps npm's banner off
 * stdout, so that --json prints exactly one JSON object): every benchmark of issue 8, each
 * measurement in a fresh child process, ratios against baselines measured in the same run.
 *
 * 1. concurrency: N simultaneous loopback calls per process (N = 0 (idle), 1, 10, 20, 30, 40;
 *    quick: 1, 10, 20), and per N the libopus floor (bench/opus-floor.c) for the same audio;
 * 2. setup: engine start → first audio (100 calls), requestCall → first audio via LocalExchange;
 * 3. latency: mouth-to-ear, direct and through a TURN relay with 0 and 50 ms added one way;
 * 4. crypto: bench/crypto.ts;
 * 5. scale-out (full only): the same calls in one process, two processes, two worker threads;
 * 6. profiles (full only): where a call's memory goes (valgrind's massif at N = 1 and 4; an
 *    error when valgrind is missing) and, when perf is installed, where the CPU of 20 calls goes.
 *
 * Results go to build/bench/results.json (quick: results-quick.json); --json prints them with
 * the headline as one JSON object; --report also writes docs/performance.md and its plot.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { native } from '../lib/native';
import { execText, flag, resultPrefix } from './common';
import { memoryProfile } from './memory-profile';
import { writeReport } from './report';
import {
  headline,
  targetChecks,
  type BenchResults,
  type ConcurrencyResult,
  type CryptoResult,
  type FloorResult,
  type LatencyResult,
  type MemoryProfile,
  type ProfileEntry,
  type ProfileResult,
  type ScaleOutLayout,
  type SetupResult,
} from './summary';

const root = path.resolve(__dirname, '..', '..', '..');
const benchDir = __dirname; // build/bench/bench
const outDir = path.resolve(__dirname, '..'); // build/bench

const quick = flag('quick');
const json = flag('json');
const plan = quick
  ? {
      calls: [1, 10, 20],
      settleSeconds: 1,
      windowSeconds: 1.5,
      staggerMs: 50,
      setupCalls: 20,
      exchangeCalls: 5,
      latencyCalls: 2,
      clicks: 5,
      latencyPaths: 'direct',
      scaleOutCalls: 0,
      profileCalls: 0,
    }
  : {
      calls: [0, 1, 10, 20, 30, 40],
      settleSeconds: 2,
      windowSeconds: 5,
      staggerMs: 100,
      setupCalls: 100,
      exchangeCalls: 50,
      latencyCalls: 3,
      clicks: 8,
      latencyPaths: 'direct,relay,delayed',
      scaleOutCalls: 20,
      profileCalls: 20,
    };

const runStarted = performance.now();

function progress(message: string): void {
  const seconds = ((performance.now() - runStarted) / 1000).toFixed(0);
  process.stderr.write(`bench [${seconds} s]: ${message}\n`);
}

interface Child {
  pid: number;
  results: Promise<unknown[]>;
}

/** Runs a compiled benchmark in a fresh Node process; resolves with its result lines. */
function startChild(script: string, args: string[], onLine?: (line: string) => void): Child {
  const child = spawn(process.execPath, [path.join(benchDir, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const results: unknown[] = [];
  let buffered = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith(resultPrefix)) results.push(JSON.parse(line.slice(resultPrefix.length)));
      else onLine?.(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  return {
    pid: child.pid ?? 0,
    results: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(results);
        else reject(new Error(`${script} ${args.join(' ')} failed (${code ?? signal}): ${errors}`));
      });
    }),
  };
}

/** The addon is rebuilt from time to time by others: a failed load is retried once. */
const addonLoadFailure = /NATIVE_ADDON_LOAD_FAILED|node_tgcalls\.node/;
const addonRetryMs = 60_000;

async function runChild<T>(script: string, args: string[]): Promise<T> {
  let results: unknown[];
  try {
    results = await startChild(script, args).results;
  } catch (error) {
    if (!addonLoadFailure.test(String(error))) throw error;
    progress(`the addon did not load; retrying ${script} in ${addonRetryMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, addonRetryMs));
    results = await startChild(script, args).results;
  }
  const result = results[0];
  if (result === undefined) throw new Error(`${script} printed no result`);
  return result as T;
}

/** Builds bench/opus-floor.c into build/bench/opus-floor when it is missing or older. */
async function buildFloor(): Promise<string> {
  const source = path.join(root, 'bench', 'opus-floor.c');
  const binary = path.join(outDir, 'opus-floor');
  const stale = !fs.existsSync(binary) || fs.statSync(binary).mtimeMs < fs.statSync(source).mtimeMs;
  if (stale) await execText('cc', ['-O2', '-o', binary, source, '-lopus', '-lm']);
  return binary;
}

async function measureFloor(binary: string, calls: number, seconds: number): Promise<FloorResult> {
  const output = JSON.parse(await execText(binary, [String(2 * calls), String(seconds)])) as Omit<
    FloorResult,
    'calls' | 'perCallPct'
  >;
  return {
    ...output,
    calls,
    perCallPct: Math.round(((100 * output.cpuSeconds) / output.audioSeconds / calls) * 1000) / 1000,
  };
}

function concurrencyArgs(calls: number, extra: string[] = []): string[] {
  return [
    '--calls',
    String(calls),
    '--settle',
    String(plan.settleSeconds),
    '--window',
    String(plan.windowSeconds),
    '--stagger',
    String(plan.staggerMs),
    ...extra,
  ];
}

/** Where CPU goes, by what the code is: libraries and symbols grouped into categories. */
function categoryOf(library: string, symbol: string): string {
  if (library.startsWith('libopus')) return 'Opus encode/decode (the floor)';
  if (library.includes('kernel'))
    return 'kernel: UDP send/receive, futex wake-ups, context switches';
  if (/^lib(softokn|freebl|nss|nspr|plds|plc|srtp|crypto|ssl)/.test(library))
    return 'SRTP and DTLS crypto (libsrtp2 on NSS, OpenSSL)';
  if (library.startsWith('libc') || library.startsWith('libm') || library.startsWith('libstdc'))
    return /malloc|free|realloc|calloc|_int_|unlink_chunk|tcache/.test(symbol)
      ? 'malloc/free'
      : /fread|_IO_|xsgetn|sgetn/.test(symbol)
        ? 'libc stdio: the engine’s WAV file reads'
        : 'libc: locks, memcpy, math';
  if (library === 'node' || library.startsWith('libnode') || library.startsWith('libuv'))
    return 'Node.js and V8';
  if (/RTCStatsCollector|RTCStats|StatsReport|StatsCollector/.test(symbol))
    return 'statistics (the engine polls getStats every second per endpoint)';
  if (
    /WavReader|WavWriter|CallAudio|AudioClock|PlayoutPump|CallAudioSink|CallAudioSource/.test(
      symbol,
    )
  )
    return 'the engine’s audio I/O (WAV files, clock, sinks)';
  if (
    /NetEq|neteq|PacketBuffer|DecisionLogic|DelayManager|Expand|Merge|Accelerate|WebRtcSpl|AudioMultiVector|SyncBuffer|DecoderDatabase|AcmReceiver|TimeStretch|BackgroundNoise/.test(
      symbol,
    )
  )
    return 'NetEq jitter buffer (decoding control, time stretching)';
  if (/TaskQueue|rtc::Thread|Event::|Mutex|PostTask|YieldCurrentThread/.test(symbol))
    return 'WebRTC task queues and threads';
  if (/cricket::|P2PTransport|Connection|StunRequest|Port::|Socket|Dtls|Ice/.test(symbol))
    return 'ICE, sockets, DTLS transport';
  if (library.startsWith('node_tgcalls'))
    return 'other WebRTC: RTP/RTCP, pacing, congestion control, stats, mixing';
  return 'other';
}

interface PerfLine {
  pct: number;
  samples: number;
  cols: string[];
}

/** Lines of `perf report --stdio -n`: percentage, sample count, the sort keys. */
function parsePerfReport(text: string): PerfLine[] {
  const entries: PerfLine[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^\s*([\d.]+)%\s+(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    entries.push({
      pct: Number(match[1]),
      samples: Number(match[2]),
      cols: (match[3] ?? '').trim().split(/\s{2,}/),
    });
  }
  return entries;
}

function top(map: Map<string, number>, count: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, pct]) => ({ name, pct: Math.round(pct * 10) / 10 }));
}

/** perf record on a concurrency child during its window; null when perf is unusable. */
async function profile(calls: number): Promise<ProfileResult | null> {
  try {
    await execText('perf', ['--version']);
  } catch {
    return null;
  }
  const data = path.join(outDir, 'perf.data');
  let recording: Promise<string> | undefined;
  const child = startChild('concurrency.js', concurrencyArgs(calls, ['--announce']), (line) => {
    const match = /^BENCH-WINDOW (\d+)$/.exec(line);
    if (match?.[1] === undefined) return;
    recording = execText('perf', [
      'record',
      '-F',
      '499',
      '-p',
      match[1],
      '-o',
      data,
      '--',
      'sleep',
      String(plan.windowSeconds),
    ]).catch(() => '');
  });
  await child.results;
  if (recording === undefined || !fs.existsSync(data)) return null;
  await recording;
  const report = async (sort: string): Promise<PerfLine[]> =>
    parsePerfReport(
      await execText('perf', [
        'report',
        '-i',
        data,
        '--stdio',
        '--no-children',
        '-g',
        'none',
        '-n',
        '--sort',
        sort,
      ]),
    );
  const threads = await report('comm');
  const samples = threads.reduce((sum, entry) => sum + entry.samples, 0);
  const byThread = new Map<string, number>();
  for (const entry of threads) {
    const name = (entry.cols[0] ?? '').trim();
    byThread.set(name, (byThread.get(name) ?? 0) + entry.pct);
  }
  const byLibrary = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const symbols = new Map<string, number>();
  for (const entry of await report('dso,sym')) {
    const library = (entry.cols[0] ?? '').trim();
    const symbol = (entry.cols[1] ?? '').replace(/^\[.\]\s*/, '').trim();
    byLibrary.set(library, (byLibrary.get(library) ?? 0) + entry.pct);
    const category = categoryOf(library, symbol);
    byCategory.set(category, (byCategory.get(category) ?? 0) + entry.pct);
    const short = symbol.length > 110 ? `${symbol.slice(0, 107)}…` : symbol;
    symbols.set(`${short} (${library})`, entry.pct);
  }
  fs.rmSync(data, { force: true });
  return {
    calls,
    seconds: plan.windowSeconds,
    samples,
    byThread: top(byThread, 10),
    byLibrary: top(byLibrary, 10),
    byCategory: top(byCategory, 12),
    topSymbols: top(symbols, 15),
  };
}

/** The same calls as one process, two processes (like cluster) and two worker threads. */
async function scaleOut(
  calls: number,
  measured: ConcurrencyResult | undefined,
): Promise<ScaleOutLayout[]> {
  const half = Math.floor(calls / 2);
  const layouts: ScaleOutLayout[] = [];
  // One process with these calls was measured by the concurrency sweep already.
  const single =
    measured ?? (await runChild<ConcurrencyResult>('concurrency.js', concurrencyArgs(calls)));
  layouts.push({
    name: `1 process × ${calls} calls`,
    processes: 1,
    workerThreadsPerProcess: 1,
    calls,
    results: [single],
  });
  const pair = await Promise.all(
    [0, 1].map((i) =>
      startChild('concurrency.js', concurrencyArgs(i === 0 ? half : calls - half)).results.then(
        (results) => results[0] as ConcurrencyResult,
      ),
    ),
  );
  layouts.push({
    name: `2 processes × ${half} calls`,
    processes: 2,
    workerThreadsPerProcess: 1,
    calls,
    results: pair,
  });
  const threaded = await runChild<ConcurrencyResult>(
    'concurrency.js',
    concurrencyArgs(calls, ['--worker-threads', '2']),
  );
  layouts.push({
    name: `1 process, 2 worker threads × ${half} calls`,
    processes: 1,
    workerThreadsPerProcess: 2,
    calls,
    results: [threaded],
  });
  return layouts;
}

async function attempt<T>(
  what: string,
  errors: string[],
  work: () => Promise<T>,
): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    progress(`${what} failed: ${String(error)}`);
    return null;
  }
}

function printHuman(results: BenchResults): void {
  const h = headline(results);
  const line = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  line(`node-tgcalls benchmarks (${results.mode}, ${results.durationSeconds} s)`);
  line('');
  line('Concurrency: N loopback calls in one process (both endpoints), against the libopus floor');
  line('  N   CPU/call  floor/call  ratio  clock  tones   RSS MiB  threads');
  for (const r of results.concurrency.filter((c) => c.workerThreads === 1)) {
    const floor = results.floors.find((f) => f.calls === r.calls);
    const ratio = floor ? (r.cpuPerCallPct / floor.perCallPct).toFixed(2) : '-';
    line(
      `  ${String(r.calls).padStart(2)}  ${r.cpuPerCallPct.toFixed(2).padStart(6)} %  ${(floor ? floor.perCallPct.toFixed(2) : '-').padStart(8)} %  ${ratio.padStart(5)}  ${String(r.clockKeepUp ?? '-').padStart(5)}  ${String(r.toneFractionMin ?? '-').padStart(6)}  ${r.rssMiB.toFixed(1).padStart(7)}  ${String(r.threads).padStart(7)}`,
    );
  }
  line(
    `  per-call figures at N = ${h.calls}: ${h.cpuPerCallPct} % of a core = ${h.ratioToFloor}× the floor; RSS ${h.rssPerCallMiB} MiB per additional call; ${h.threadsPerCall} threads per additional call`,
  );
  const s = results.setup;
  if (s) {
    line('');
    line(
      `Setup (${s.calls} calls): engine start → first audio both sides: median ${s.engine.medianMs} ms, p95 ${s.engine.p95Ms} ms (${Math.round(s.engine.medianMs / s.udpRttMs)}× a UDP round trip of ${s.udpRttMs} ms)`,
    );
    if (s.exchange)
      line(
        `  via LocalExchange, requestCall → first audio (${s.exchangeCalls} calls): median ${s.exchange.medianMs} ms, p95 ${s.exchange.p95Ms} ms (${(s.exchange.medianMs / s.engine.medianMs).toFixed(2)}× the engine alone)`,
      );
  }
  const l = results.latency;
  if (l) {
    line('');
    line('Mouth-to-ear (native audio clock, sample-exact):');
    for (const p of l.paths)
      line(
        `  ${p.path.padEnd(8)} +${p.addedDelayMs} ms: median ${p.medianMs} ms, p95 ${p.p95Ms} ms (${p.detected}/${p.clicks} clicks; ${Math.round(p.medianMs / l.udpRttMs)}× a UDP round trip)`,
      );
  }
  const c = results.crypto;
  if (c) {
    line('');
    line(
      `Crypto: ${c.handshakesPerSecond} DH handshakes/s (= ${c.handshakeCostInSha256} SHA-256 of 256 B); signaling encrypt ${c.encryptMBs} MB/s (${c.encryptRatioToSha256}× SHA-256), decrypt ${c.decryptMBs} MB/s (${c.decryptRatioToSha256}×)`,
    );
  }
  if (results.scaleOut) {
    line('');
    line('Scale-out:');
    for (const layout of results.scaleOut) {
      const cpu = layout.results.reduce((sum, r) => sum + r.cpuPct, 0);
      const rss = layout.results.reduce((sum, r) => sum + r.rssMiB, 0);
      const threads = layout.results.reduce((sum, r) => sum + r.threads, 0);
      line(
        `  ${layout.name}: CPU ${cpu.toFixed(1)} % of a core, RSS ${rss.toFixed(1)} MiB, ${threads} threads`,
      );
    }
  }
  line('');
  line('Targets:');
  for (const check of targetChecks(results, h))
    line(
      `  ${check.met ? 'met   ' : 'MISSED'} ${check.name}: ${check.measured} (target ${check.target})`,
    );
  for (const error of results.errors) line(`error: ${error}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const errors: string[] = [];
  let versions: { tgOwt: string };
  try {
    versions = native().versions();
  } catch (error) {
    progress(`the addon did not load (${String(error)}); retrying in ${addonRetryMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, addonRetryMs));
    versions = native().versions();
  }
  const floorBinary = await buildFloor();

  const concurrency: ConcurrencyResult[] = [];
  const floors: FloorResult[] = [];
  let opusVersion = '';
  for (const calls of plan.calls) {
    progress(`concurrency: ${calls} calls`);
    const result = await attempt(`concurrency N=${calls}`, errors, () =>
      runChild<ConcurrencyResult>('concurrency.js', concurrencyArgs(calls)),
    );
    if (result) concurrency.push(result);
    if (calls > 0) {
      const floor = await attempt(`floor N=${calls}`, errors, () =>
        measureFloor(floorBinary, calls, result?.windowSeconds ?? plan.windowSeconds),
      );
      if (floor) {
        floors.push(floor);
        opusVersion = floor.opusVersion;
      }
    }
  }
  progress('setup');
  const setup = await attempt('setup', errors, () =>
    runChild<SetupResult>('setup.js', [
      '--calls',
      String(plan.setupCalls),
      '--exchange-calls',
      String(plan.exchangeCalls),
    ]),
  );
  progress('latency');
  const latency = await attempt('latency', errors, () =>
    runChild<LatencyResult>('latency.js', [
      '--calls',
      String(plan.latencyCalls),
      '--clicks',
      String(plan.clicks),
      '--paths',
      plan.latencyPaths,
    ]),
  );
  progress('crypto');
  const crypto = await attempt('crypto', errors, async () => {
    const output = await execText(process.execPath, [
      path.join(benchDir, 'crypto.js'),
      '--json',
      ...(quick ? ['--quick'] : []),
    ]);
    return JSON.parse(output.trim().split('\n').pop() ?? '') as CryptoResult;
  });
  let scale: ScaleOutLayout[] | null = null;
  if (plan.scaleOutCalls > 0) {
    progress('scale-out');
    scale = await attempt('scale-out', errors, () =>
      scaleOut(
        plan.scaleOutCalls,
        concurrency.find((r) => r.calls === plan.scaleOutCalls),
      ),
    );
  }
  let memory: MemoryProfile | null = null;
  if (plan.profileCalls > 0) {
    progress('memory profile');
    memory = await attempt('memory profile', errors, () => memoryProfile(1, 4, outDir));
  }
  let profiled: ProfileResult | null = null;
  if (plan.profileCalls > 0) {
    progress('profile');
    profiled = await attempt('profile', errors, () => profile(plan.profileCalls));
  }

  const results: BenchResults = {
    mode: quick ? 'quick' : 'full',
    startedAt: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      tgOwt: versions.tgOwt,
      opus: opusVersion,
    },
    settings: {
      settleSeconds: plan.settleSeconds,
      windowSeconds: plan.windowSeconds,
      staggerMs: plan.staggerMs,
    },
    concurrency,
    floors,
    setup,
    latency,
    crypto,
    scaleOut: scale,
    profile: profiled,
    memoryProfile: memory,
    errors,
  };
  const file = path.join(outDir, quick ? 'results-quick.json' : 'results.json');
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  if (flag('report')) await writeReport(results, root);
  if (json) {
    const h = headline(results);
    process.stdout.write(
      JSON.stringify({ ...h, targets: targetChecks(results, h), results }) + '\n',
    );
  } else {
    printHuman(results);
    process.stdout.write(`\nresults: ${path.relative(root, file)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
