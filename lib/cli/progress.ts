/**
 * The live line commands show on a terminal while a call runs: elapsed time and the peak
 * level of both directions. Formatting is pure (and unit-tested); ProgressLine only decides
 * whether to write and rewrites one line with \r.
 */

export interface ProgressFrame {
  /** Seconds since the call was established. */
  elapsedSeconds: number;
  /** Peak levels of the last 100 ms, 0..1 (the engine's audioLevels event). */
  levels?: { outgoing: number; incoming: number };
  /** Shown instead of the levels while there are none, e.g. "ringing". */
  status?: string;
}

export interface ProgressLabels {
  /** Names the outgoing direction, e.g. "sends" or "caller sends". */
  outgoing: string;
  incoming: string;
}

const barWidth = 20;
const defaultLabels: ProgressLabels = { outgoing: 'sends', incoming: 'hears' };

/** A level 0..1 as a bar of `width` cells; out-of-range and NaN levels are clamped. */
export function levelBar(level: number, width = barWidth): string {
  const clamped = Number.isFinite(level) ? Math.min(1, Math.max(0, level)) : 0;
  const filled = Math.round(clamped * width);
  return '█'.repeat(filled) + '·'.repeat(width - filled);
}

/** "4.2 s" under a minute, then "1:05" and "1:02:03", so a long recording stays readable. */
export function formatElapsed(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  if (safe < 60) return `${safe.toFixed(1)} s`;
  const whole = Math.floor(safe);
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return hours > 0
    ? `${hours}:${two(minutes)}:${two(whole % 60)}`
    : `${minutes}:${two(whole % 60)}`;
}

export function formatProgress(frame: ProgressFrame, labels = defaultLabels): string {
  const elapsed = formatElapsed(frame.elapsedSeconds).padStart(7);
  if (frame.levels === undefined) return `  ${elapsed}  ${frame.status ?? ''}`.trimEnd();
  return (
    `  ${elapsed}  ${labels.outgoing} ${levelBar(frame.levels.outgoing)}` +
    `  ${labels.incoming} ${levelBar(frame.levels.incoming)}`
  );
}

/** One rewritten status line on a terminal; does nothing when the stream is not a TTY. */
export class ProgressLine {
  private written = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  get enabled(): boolean {
    return this.stream.isTTY;
  }

  show(text: string): void {
    if (!this.enabled) return;
    // \x1b[K clears what a longer previous line left behind.
    this.stream.write(`\r${text}\x1b[K`);
    this.written = true;
  }

  /** Ends the line so that what is printed next starts on a fresh one. */
  finish(): void {
    if (!this.written) return;
    this.stream.write('\n');
    this.written = false;
  }
}
