import * as v8 from 'node:v8';
import * as vm from 'node:vm';

import { measureChurn } from '../scripts/faults/churn';
import { startPair, threadCount } from './support/engine-pair';

// Garbage collection on demand, as `node --expose-gc` would give.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
(globalThis as { gc?: () => void }).gc = gc;

async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('calls set up and torn down', () => {
  it('free a stopped engine for the garbage collector, and keep a running one alive without references', async () => {
    const collected: string[] = [];
    const registry = new FinalizationRegistry((name: string) => collected.push(name));
    let stop: (() => Promise<void>) | undefined;
    const caller = await (async () => {
      const pair = startPair({ version: '11.0.0' });
      registry.register(pair.caller, 'caller');
      registry.register(pair.callee, 'callee');
      await pair.established;
      stop = () => pair.stop();
      return new WeakRef(pair.caller);
    })();
    await collect();
    // Running: pinned natively, still there and still reachable.
    expect(collected).toEqual([]);
    expect(caller.deref()).toBeDefined();
    await stop?.();
    stop = undefined; // the last reference to the pair
    await collect();
    expect(collected.sort()).toEqual(['callee', 'caller']);
  });

  it('run concurrently on the same threads: six calls in flight use no more threads than one', async () => {
    const first = startPair({ version: '11.0.0' });
    await first.established;
    const withOne = threadCount();
    const more = Array.from({ length: 5 }, (_, i) =>
      startPair({ version: i % 2 ? '10.0.0' : '11.0.0' }),
    );
    await Promise.all(more.map((pair) => pair.established));
    const withSix = threadCount();
    await Promise.all([first, ...more].map((pair) => pair.stop()));
    // WebRTC's default task queues added six threads per call; the slack is libuv's pool of
    // four, which Node starts at its first use and may start meanwhile.
    expect(withSix).toBeLessThanOrEqual(withOne + 4);
  });

  it('leave open file descriptors and threads at their baseline after 20 calls in a row and 10 at once', async () => {
    const result = await measureChurn({ sequential: 20, concurrent: 10 });
    expect(result.connected).toBe(30);
    expect(result.fdGrowth).toBeLessThanOrEqual(2);
    expect(result.threadGrowth).toBeLessThanOrEqual(0);
    // Under AddressSanitizer (scripts/asan-build) freed memory waits in its quarantine, so RSS
    // says nothing about leaks there; LeakSanitizer does.
    const underAsan = (process.env.LD_PRELOAD ?? '').includes('libasan');
    if (!underAsan) expect(result.rssGrowthMiB).toBeLessThan(40);
  }, 120_000);
});
