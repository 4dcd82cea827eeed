/**
 * Live and peak audio levels of both directions of one engine, 0..1 per 100 ms.
 *
 * The engine's audioLevels event carries both, but the addon measures only the outgoing
 * direction (its incoming peak stays 0). So the incoming peak is also measured here from the
 * received frames when the engine delivers them (audio.deliverIncoming), and the higher of
 * the two is shown: right today, and still right once the engine reports it.
 */
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
  #receivedPeak = 0;

  attach(engine: NativeCallEngine): void {
    engine.on('audio', (samples: Int16Array) => {
      let peak = this.#receivedPeak;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      this.#receivedPeak = peak;
    });
    engine.on('audioLevels', (levels) => {
      const incoming = Math.max(levels.incoming, Math.min(1, this.#receivedPeak / 32768));
      this.#receivedPeak = 0;
      this.latest = { outgoing: levels.outgoing, incoming };
      this.peak.outgoing = Math.max(this.peak.outgoing, levels.outgoing);
      this.peak.incoming = Math.max(this.peak.incoming, incoming);
    });
  }
}
