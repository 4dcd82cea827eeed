import { framesOf, measureContinuity, toneShareOfFrame } from '../lib/media/continuity';
import { sineTone } from '../lib/media/wav';

/** `parts` of audio, each a tone, silence or noise of some length, joined. */
function signal(parts: ['tone' | 'silence' | 'noise' | 'other-tone', number][]): Int16Array {
  const chunks = parts.map(([kind, ms]) => {
    const n = (ms * 48000) / 1000;
    if (kind === 'tone') return sineTone(1000, ms / 1000);
    if (kind === 'other-tone') return sineTone(1500, ms / 1000);
    const out = new Int16Array(n);
    let seed = 1;
    if (kind === 'noise')
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        out[i] = Math.round((seed / 2 ** 31 - 0.5) * 20000);
      }
    return out;
  });
  const joined = new Int16Array(chunks.reduce((a, c) => a + c.length, 0));
  chunks.reduce((at, c) => (joined.set(c, at), at + c.length), 0);
  return joined;
}

describe('tone continuity', () => {
  it('finds all of a steady tone in its frames and no gap', () => {
    expect(toneShareOfFrame(sineTone(1000, 0.01), 48000, 1000)).toBeCloseTo(1, 2);
    const report = measureContinuity(framesOf(signal([['tone', 2000]])), 1000);
    expect(report).toMatchObject({
      toneShare: 1,
      longestGapMs: 0,
      gapsOver60Ms: 0,
      firstToneFrame: 0,
    });
  });

  it('measures a gap of silence, of noise and of another pitch to the frame', () => {
    for (const kind of ['silence', 'noise', 'other-tone'] as const) {
      const report = measureContinuity(
        framesOf(
          signal([
            ['tone', 500],
            [kind, 80],
            ['tone', 500],
          ]),
        ),
        1000,
      );
      expect(report.longestGapMs).toBe(80);
      expect(report.gapsOver60Ms).toBe(1);
    }
  });

  it('counts from the first frame with the tone, so leading silence is no gap', () => {
    const report = measureContinuity(
      framesOf(
        signal([
          ['silence', 300],
          ['tone', 500],
        ]),
      ),
      1000,
    );
    expect(report.firstToneFrame).toBe(30);
    expect(report.longestGapMs).toBe(0);
  });

  it('does not take a quiet tone below -40 dBFS for the tone', () => {
    const quiet = sineTone(1000, 0.5, 0.005);
    expect(measureContinuity(framesOf(quiet), 1000).firstToneFrame).toBe(-1);
  });
});
