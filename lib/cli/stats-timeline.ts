/** The engine statistics a call report plots: one getStats() sample every half second. */
import type { NativeCallEngine } from '../engine/native-engine';
import type { ReportStatsSample } from '../report/call-report';

const sampleEveryMs = 500;

/**
 * Appends samples to `timeline` (t in seconds from now) while `connected()` holds; the
 * returned function stops sampling.
 */
export function sampleStats(
  engine: NativeCallEngine,
  timeline: ReportStatsSample[],
  connected: () => boolean = () => true,
): () => void {
  const startedAt = performance.now();
  const timer = setInterval(() => {
    engine.getStats().then(
      (stats) => {
        if (connected()) timeline.push({ t: (performance.now() - startedAt) / 1000, stats });
      },
      () => undefined, // the call ended between the tick and the answer
    );
  }, sampleEveryMs);
  return () => {
    clearInterval(timer);
  };
}
