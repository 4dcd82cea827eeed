/**
 * The progress line of a call seen from one of its engines (demo, loopback): "connecting…"
 * until the engine is established, then the time since and both directions' levels.
 */
import type { NativeCallEngine } from '../engine/native-engine';
import { LevelMeter } from './level-meter';
import { showLiveProgress } from './live-progress';
import type { ProgressLabels } from './progress';

/** Starts showing (on a TTY only); the returned function stops and ends the line. */
export function showEngineProgress(
  engine: NativeCallEngine,
  options: { labels?: ProgressLabels; established?: boolean } = {},
): () => void {
  const meter = new LevelMeter();
  meter.attach(engine);
  const startedAt = performance.now();
  let establishedAt = options.established === true ? startedAt : undefined;
  engine.on('state', (state) => {
    if (state === 'established') establishedAt ??= performance.now();
  });
  return showLiveProgress(
    () =>
      establishedAt === undefined
        ? { elapsedSeconds: (performance.now() - startedAt) / 1000, status: 'connecting…' }
        : {
            elapsedSeconds: (performance.now() - establishedAt) / 1000,
            levels: meter.latest ?? { outgoing: 0, incoming: 0 },
          },
    { labels: options.labels },
  );
}
