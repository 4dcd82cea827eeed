/**
 * Calls set up and torn down, in a row and many at once, and what they leave behind: resident
 * memory, open file descriptors and threads against a baseline taken after one warm-up call
 * (the shared WebRTC threads start with the first call and stay).
 */
import * as fs from 'node:fs';

import { startToneCall } from './tone-call';

export interface ResourceSample {
  rssMiB: number;
  fds: number;
  threads: number;
}

export interface ChurnResult {
  sequential: number;
  concurrent: number;
  connected: number;
  baseline: ResourceSample;
  after: ResourceSample;
  /** While the concurrent calls were all up. */
  peak: ResourceSample;
  rssGrowthMiB: number;
  fdGrowth: number;
  threadGrowth: number;
}

export function sampleResources(): ResourceSample {
  return {
    rssMiB: Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10,
    fds: fs.readdirSync('/proc/self/fd').length,
    threads: fs.readdirSync('/proc/self/task').length,
  };
}

async function settle(): Promise<void> {
  // With --expose-gc: collect the handles of stopped calls, so what remains is real growth.
  const gc = (globalThis as { gc?: () => void }).gc;
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
  // The runtime returns freed memory to the system 2 s after calls end (webrtc_runtime.cpp).
  await new Promise((resolve) => setTimeout(resolve, 2500));
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Resolves true when established, false on failure; the call is stopped either way. */
async function oneCall(index: number): Promise<boolean> {
  const call = startToneCall({ version: index % 2 ? '10.0.0' : '11.0.0', recordAudio: false });
  try {
    await call.established;
    return true;
  } catch {
    return false;
  } finally {
    await call.stop();
  }
}

/** `count` calls up at once, then stopped; nothing of them stays referenced afterwards. */
async function concurrentCalls(count: number): Promise<{ up: number; peak: ResourceSample }> {
  const calls = Array.from({ length: count }, (_, i) =>
    startToneCall({ version: i % 2 ? '10.0.0' : '11.0.0', recordAudio: false }),
  );
  const up = await Promise.all(
    calls.map((call) =>
      call.established.then(
        () => true,
        () => false,
      ),
    ),
  );
  const peak = sampleResources();
  await Promise.all(calls.map((call) => call.stop()));
  return { up: up.filter(Boolean).length, peak };
}

export async function measureChurn(options: {
  sequential: number;
  concurrent: number;
  onProgress?: (done: number) => void;
}): Promise<ChurnResult> {
  await oneCall(0);
  await settle();
  const baseline = sampleResources();
  let connected = 0;
  for (let i = 0; i < options.sequential; i++) {
    if (await oneCall(i)) connected++;
    options.onProgress?.(i + 1);
  }
  const { up, peak } = await concurrentCalls(options.concurrent);
  connected += up;
  await settle();
  const after = sampleResources();
  return {
    sequential: options.sequential,
    concurrent: options.concurrent,
    connected,
    baseline,
    after,
    peak,
    rssGrowthMiB: Math.round((after.rssMiB - baseline.rssMiB) * 10) / 10,
    fdGrowth: after.fds - baseline.fds,
    threadGrowth: after.threads - baseline.threads,
  };
}
