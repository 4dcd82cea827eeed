/** Redraws a ProgressLine a few times a second while a call runs (on a TTY only). */
import { formatProgress, type ProgressFrame, type ProgressLabels, ProgressLine } from './progress';

const redrawMs = 250;

/** Starts redrawing; the returned function stops and ends the line. */
export function showLiveProgress(
  frame: () => ProgressFrame,
  options: { line?: ProgressLine; labels?: ProgressLabels } = {},
): () => void {
  const line = options.line ?? new ProgressLine();
  if (!line.enabled) return () => undefined;
  const draw = (): void => {
    line.show(formatProgress(frame(), options.labels));
  };
  draw();
  const timer = setInterval(draw, redrawMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    line.finish();
  };
}
