import type { VideoFrame } from '../lib/engine/native-engine';
import { startPair } from './support/engine-pair';

/** A 320×240 I420 frame: luma rises left to right, chroma flat grey. */
function testPattern(width: number, height: number): Buffer {
  const frame = Buffer.alloc(width * height * 1.5, 128);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) frame[y * width + x] = Math.round((x / (width - 1)) * 255);
  }
  return frame;
}

describe('video', () => {
  it.each(['11.0.0', '10.0.0'] as const)(
    'sends pushed frames both ways at the right size (%s)',
    async (version) => {
      const pair = startPair({ version, video: true, deliverVideoFrames: true });
      const frames: VideoFrame[] = [];
      pair.callee.on('videoFrame', (frame) => frames.push(frame));
      const remoteStates: string[] = [];
      pair.callee.on('remoteMediaState', (_audio, video) => remoteStates.push(video));
      await pair.established;
      const pattern = testPattern(320, 240);
      const pump = setInterval(() => {
        pair.caller.pushVideoFrame(320, 240, pattern);
        pair.callee.pushVideoFrame(320, 240, pattern);
      }, 33);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      clearInterval(pump);
      const callerCounters = pair.caller.videoCounters();
      await pair.stop();
      expect(pair.caller.hadVideo).toBe(true);
      expect(frames.length).toBeGreaterThan(10);
      const last = frames[frames.length - 1];
      expect(last?.width).toBe(320);
      expect(last?.height).toBe(240);
      // The luma ramp survives the codec: dark on the left, bright on the right.
      const row = 120 * 320;
      expect(last?.data[row + 10]).toBeLessThan(60);
      expect(last?.data[row + 310]).toBeGreaterThan(200);
      expect(callerCounters.framesReceived).toBeGreaterThan(10);
      expect(remoteStates).toContain('active');
    },
  );

  it('refuses a frame whose size does not match', async () => {
    const pair = startPair({ version: '11.0.0', video: true });
    expect(pair.caller.pushVideoFrame(320, 240, Buffer.alloc(100))).toBe(false);
    await pair.stop();
  });
});
