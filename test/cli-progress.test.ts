/** The CLI's live progress line, as text (the TTY itself is not tested). */
import { formatElapsed, formatProgress, levelBar, ProgressLine } from '../lib/cli/progress';

describe('the CLI progress line', () => {
  it('draws a level as a bar of twenty cells', () => {
    expect(levelBar(0)).toBe('·'.repeat(20));
    expect(levelBar(1)).toBe('█'.repeat(20));
    expect(levelBar(0.5)).toBe('█'.repeat(10) + '·'.repeat(10));
    expect(levelBar(0.5, 4)).toBe('██··');
  });

  it('clamps levels outside 0..1 and NaN', () => {
    expect(levelBar(-0.2)).toBe(levelBar(0));
    expect(levelBar(3)).toBe(levelBar(1));
    expect(levelBar(Number.NaN)).toBe(levelBar(0));
  });

  it('shows seconds under a minute, then minutes and hours', () => {
    expect(formatElapsed(0)).toBe('0.0 s');
    expect(formatElapsed(4.26)).toBe('4.3 s');
    expect(formatElapsed(59.94)).toBe('59.9 s');
    expect(formatElapsed(65)).toBe('1:05');
    expect(formatElapsed(3723.4)).toBe('1:02:03');
    expect(formatElapsed(-1)).toBe('0.0 s');
  });

  it('puts elapsed time and both directions on one line', () => {
    expect(formatProgress({ elapsedSeconds: 3.2, levels: { outgoing: 0.5, incoming: 0.25 } })).toBe(
      `    3.2 s  sends ${'█'.repeat(10)}${'·'.repeat(10)}  hears ${'█'.repeat(5)}${'·'.repeat(15)}`,
    );
    expect(
      formatProgress(
        { elapsedSeconds: 1, levels: { outgoing: 0, incoming: 1 } },
        { outgoing: 'caller sends', incoming: 'hears' },
      ),
    ).toMatch(/^ {4}1\.0 s {2}caller sends ·{20} {2}hears █{20}$/);
  });

  it('shows the status while there are no levels', () => {
    expect(formatProgress({ elapsedSeconds: 2, status: 'ringing…' })).toBe('    2.0 s  ringing…');
    expect(formatProgress({ elapsedSeconds: 2 })).toBe('    2.0 s');
  });

  it('keeps the line the same width as levels change, so \\r redraws it cleanly', () => {
    const widths = [0, 0.33, 1].map(
      (level) =>
        formatProgress({ elapsedSeconds: 12, levels: { outgoing: level, incoming: level } }).length,
    );
    expect(new Set(widths).size).toBe(1);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const stream = {
      isTTY: false,
      write: (text: string) => written.push(text),
    } as unknown as NodeJS.WriteStream;
    const line = new ProgressLine(stream);
    line.show('x');
    line.finish();
    expect(written).toEqual([]);
  });
});
