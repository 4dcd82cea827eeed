/**
 * One concurrency measurement, in a fresh process (bench/run.ts starts one per N):
 * N simultaneous loopback calls, settled, then CPU, RSS and threads over a window, and the
 * tone check of every call over that window.
 *
 *   node build/bench/bench/concurrency.js --calls N [--settle S] [--window S] [--stagger MS]
 *     [--worker-threads T]
 *
 * Calls start one every --stagger ms (default 100), as a bot's calls arrive over time.
 * --calls 0 measures the process with the WebRTC runtime warm (one call made and stopped) and
 * no call running: the per-process overhead. --worker-threads T spreads the calls over T worker
 * threads of this process (they share its one WebRTC runtime). --announce prints
 * `BENCH-WINDOW <pid>` when the measured window starts (for a profiler).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { startCallSet, type CallAudioResult } from './call-set';
import {
  cpuByThreadName,
  emitResult,
  flag,
  numberArg,
  processCpuSeconds,
  round,
  rssMiB,
  sleep,
  threadCount,
  threadCpuPercent,
  threadsByName,
} from './common';

interface WorkerJob {
  first: number;
  count: number;
  dir: string;
  staggerMs: number;
}

type ToMain =
  | { type: 'established'; ms: number }
  | { type: 'failed'; message: string }
  | { type: 'frames'; sent: number; received: number }
  | { type: 'results'; results: CallAudioResult[] };
type ToWorker = { type: 'mark' } | { type: 'frames' } | { type: 'finish' };

/** A worker thread: runs its calls, marks and finishes when the main thread says so. */
function workerMain(port: NonNullable<typeof parentPort>, job: WorkerJob): void {
  const set = startCallSet(job.first, job.count, job.dir, job.staggerMs);
  set.established.then(
    (ms) => {
      port.postMessage({ type: 'established', ms } satisfies ToMain);
    },
    (error: unknown) => {
      port.postMessage({ type: 'failed', message: String(error) } satisfies ToMain);
    },
  );
  port.on('message', (message: ToWorker) => {
    if (message.type === 'mark') {
      set.mark();
      return;
    }
    if (message.type === 'frames') {
      port.postMessage({ type: 'frames', ...set.frames() } satisfies ToMain);
      return;
    }
    void set.finish().then((results) => {
      port.postMessage({ type: 'results', results } satisfies ToMain);
      port.close();
    });
  });
}

/** The calls of this process: in this thread, or spread over worker threads. */
interface Runner {
  established: Promise<number>;
  mark(): void;
  /** Audio frames sent and received so far, summed over every endpoint. */
  frames(): Promise<{ sent: number; received: number }>;
  finish(): Promise<CallAudioResult[]>;
}

function threadedRunner(calls: number, threads: number, dir: string, staggerMs: number): Runner {
  const workers: Worker[] = [];
  const established: Promise<number>[] = [];
  const results: Promise<CallAudioResult[]>[] = [];
  let first = 0;
  for (let t = 0; t < threads; t++) {
    const count = Math.floor(calls / threads) + (t < calls % threads ? 1 : 0);
    const worker = new Worker(__filename, {
      workerData: { first, count, dir, staggerMs: staggerMs * threads } satisfies WorkerJob,
    });
    first += count;
    workers.push(worker);
    established.push(
      new Promise<number>((resolve, reject) => {
        worker.on('message', (message: ToMain) => {
          if (message.type === 'established') resolve(message.ms);
          if (message.type === 'failed') reject(new Error(message.message));
        });
        worker.once('error', reject);
      }),
    );
    results.push(
      new Promise<CallAudioResult[]>((resolve, reject) => {
        worker.on('message', (message: ToMain) => {
          if (message.type === 'results') resolve(message.results);
        });
        worker.once('error', reject);
      }),
    );
  }
  return {
    established: Promise.all(established).then((times) => Math.max(...times)),
    mark: () => {
      for (const worker of workers) worker.postMessage({ type: 'mark' } satisfies ToWorker);
    },
    frames: async () => {
      const counts = await Promise.all(
        workers.map(
          (worker) =>
            new Promise<{ sent: number; received: number }>((resolve) => {
              const listener = (message: ToMain): void => {
                if (message.type !== 'frames') return;
                worker.off('message', listener);
                resolve({ sent: message.sent, received: message.received });
              };
              worker.on('message', listener);
              worker.postMessage({ type: 'frames' } satisfies ToWorker);
            }),
        ),
      );
      return counts.reduce(
        (sum, count) => ({ sent: sum.sent + count.sent, received: sum.received + count.received }),
        { sent: 0, received: 0 },
      );
    },
    finish: async () => {
      for (const worker of workers) worker.postMessage({ type: 'finish' } satisfies ToWorker);
      const all = (await Promise.all(results)).flat();
      await Promise.all(workers.map((worker) => worker.terminate()));
      return all;
    },
  };
}

async function main(): Promise<void> {
  const calls = numberArg('calls', 1);
  const settleSeconds = numberArg('settle', 2);
  const windowSeconds = numberArg('window', 5);
  const threads = numberArg('worker-threads', 1);
  const staggerMs = numberArg('stagger', 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-bench-'));
  try {
    if (calls === 0) {
      // Warm the runtime (threads, factory, audio clock) with one short call, then idle.
      const warm = startCallSet(0, 1, dir, 0);
      await warm.established;
      await warm.finish();
    }
    const runner: Runner =
      calls === 0
        ? {
            established: Promise.resolve(0),
            mark: () => undefined,
            frames: () => Promise.resolve({ sent: 0, received: 0 }),
            finish: () => Promise.resolve([]),
          }
        : threads > 1
          ? threadedRunner(calls, threads, dir, staggerMs)
          : (() => {
              const set = startCallSet(0, calls, dir, staggerMs);
              return { ...set, frames: () => Promise.resolve(set.frames()) };
            })();
    const establishMs = await runner.established;
    await sleep(settleSeconds * 1000);

    runner.mark();
    // For a profiler: the window starts now (bench/run.ts attaches perf to this pid).
    if (flag('announce')) process.stdout.write(`BENCH-WINDOW ${process.pid}\n`);
    const framesBefore = await runner.frames();
    const threadsBefore = cpuByThreadName();
    const cpuBefore = processCpuSeconds();
    const startedAt = performance.now();
    await sleep(windowSeconds * 1000);
    const cpuSeconds = processCpuSeconds() - cpuBefore;
    const elapsed = (performance.now() - startedAt) / 1000;
    const framesAfter = await runner.frames();
    const threadCpu = threadCpuPercent(threadsBefore, cpuByThreadName(), elapsed);
    const rss = rssMiB();
    const threadTotal = threadCount();
    const threadNames = threadsByName();

    const results = await runner.finish();
    const fractions = results.flatMap((r) => [r.callerToCallee, r.calleeToCaller]);
    emitResult({
      kind: 'concurrency',
      calls,
      workerThreads: threads,
      windowSeconds: round(elapsed, 3),
      establishMs: Math.round(establishMs),
      cpuSeconds: round(cpuSeconds, 4),
      /** Percent of one core the whole process used. */
      cpuPct: round((100 * cpuSeconds) / elapsed, 2),
      cpuPerCallPct: calls ? round((100 * cpuSeconds) / elapsed / calls, 3) : 0,
      // Frames the native clock actually moved, against 100 per second per endpoint and
      // direction: below 1 the process is overloaded and its CPU figures understate the need.
      clockKeepUp: calls
        ? round((framesAfter.sent - framesBefore.sent) / (2 * calls * 100 * elapsed), 3)
        : null,
      receiveKeepUp: calls
        ? round((framesAfter.received - framesBefore.received) / (2 * calls * 100 * elapsed), 3)
        : null,
      rssMiB: round(rss, 1),
      threads: threadTotal,
      threadNames,
      threadCpuPct: threadCpu,
      toneFractionMin: fractions.length ? round(Math.min(...fractions), 4) : null,
      packetLossMax: results.length ? Math.max(...results.map((r) => r.packetLoss)) : null,
      jitterMsMax: results.length ? Math.max(...results.map((r) => r.jitterMs)) : null,
      perCall: results.map((r) => ({
        index: r.index,
        callerHz: r.callerHz,
        calleeHz: r.calleeHz,
        callerToCallee: round(r.callerToCallee, 4),
        calleeToCaller: round(r.calleeToCaller, 4),
      })),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else if (parentPort) {
  workerMain(parentPort, workerData as WorkerJob);
}
