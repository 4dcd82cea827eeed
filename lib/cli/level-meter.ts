/** Live and peak audio levels of both directions of one engine, 0..1 per 100 ms. */
import type { NativeCallEngine } from '../engine/native-engine';

export interface AudioLevels {
  outgoing: number;
  incoming: number;
}

export class LevelMeter {
  /** The levels of the last 100 ms; undefined until the engine reports any. */
  latest: AudioLevels | undefined;
  /** The highest level seen in each direction. */
  readonly peak: AudioLevels = { outgoing: 0, incoming: 0 };

  attach(engine: NativeCallEngine): void {
    engine.on('audioLevels', (levels) => {
      this.latest = levels;
      this.peak.outgoing = Math.max(this.peak.outgoing, levels.outgoing);
      this.peak.incoming = Math.max(this.peak.incoming, levels.incoming);
    });
  }
}
