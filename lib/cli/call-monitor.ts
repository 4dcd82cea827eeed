/**
 * Follows one PhoneCall for the CLI: when it was established and ended, the live and peak
 * audio levels of both directions, and what the progress line shows.
 */
import type { PhoneCall } from '../calls/phone-call';
import { NativeCallEngine } from '../engine/native-engine';
import { LevelMeter } from './level-meter';
import type { ProgressFrame } from './progress';

export class CallMonitor {
  readonly startedAt = performance.now();
  establishedAt: number | undefined;
  endedAt: number | undefined;
  readonly levels = new LevelMeter();
  #engine: NativeCallEngine | undefined;

  constructor(private readonly call: PhoneCall) {
    call.on('state', (state) => {
      if (state === 'established') this.establishedAt ??= performance.now();
      this.#watchEngine();
    });
    call.once('ended', () => {
      this.endedAt = performance.now();
    });
    this.#watchEngine();
  }

  /** The call's native engine, once it runs (from `connecting` on). */
  get engine(): NativeCallEngine | undefined {
    return this.#engine;
  }

  /** From placing or receiving the call to established, ms; -1 when it never was. */
  get setupMs(): number {
    return this.establishedAt === undefined ? -1 : Math.round(this.establishedAt - this.startedAt);
  }

  /** How long the call was (or has been) established, s. */
  get establishedSeconds(): number {
    if (this.establishedAt === undefined) return 0;
    return ((this.endedAt ?? performance.now()) - this.establishedAt) / 1000;
  }

  frame(): ProgressFrame {
    if (this.establishedAt === undefined || this.call.state !== 'established')
      return {
        elapsedSeconds: this.#secondsSince(this.establishedAt ?? this.startedAt),
        status: `${this.call.state}…`,
      };
    return {
      elapsedSeconds: this.#secondsSince(this.establishedAt),
      levels: this.levels.latest ?? { outgoing: 0, incoming: 0 },
    };
  }

  #secondsSince(time: number): number {
    return (performance.now() - time) / 1000;
  }

  #watchEngine(): void {
    const engine = this.call.engine;
    if (this.#engine !== undefined || !(engine instanceof NativeCallEngine)) return;
    this.#engine = engine;
    this.levels.attach(engine);
  }
}
