import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import type { NativeCallEngine, VideoFrame } from '../lib/engine/native-engine';
import { recordVideoWithFfmpeg, sendVideoWithFfmpeg } from '../lib/media/ffmpeg-video';
import { i420ByteLength, scaleI420 } from '../lib/media/i420';
import { startPair } from './support/engine-pair';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-video-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], {
    maxBuffer: 64 << 20,
  });
}

/**
 * Four solid quadrants (red, lime / blue, white) at 25 fps: colours whose luma and chroma all
 * differ, so a wrong plane, a swapped quadrant or a grey picture cannot pass for them.
 */
function quadrantVideo(name: string, width: number, height: number, seconds: number): string {
  const file = path.join(dir, name);
  const quadrant = (colour: string, label: string) =>
    `color=c=${colour}:s=${width / 2}x${height / 2}:r=25:d=${seconds}[${label}]`;
  ffmpeg([
    '-y',
    '-filter_complex',
    [
      quadrant('red', 'a'),
      quadrant('lime', 'b'),
      quadrant('blue', 'c'),
      quadrant('white', 'd'),
      '[a][b]hstack[top]',
      '[c][d]hstack[bottom]',
      '[top][bottom]vstack',
    ].join(';'),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return file;
}

/** The first frame of `file` decoded at its own size (`-s` unset) or scaled, as packed I420. */
function decodeFrame(file: string, width: number, height: number, frameIndex = 0): Buffer {
  return ffmpeg([
    '-i',
    file,
    '-vf',
    `select=gte(n\\,${frameIndex}),scale=${width}:${height}`,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    'pipe:1',
  ]);
}

type Yuv = [number, number, number];

/** Mean Y, U, V of the centre half of each quadrant (edges blur in the codec), in reading order. */
function quadrantMeans(frame: Uint8Array, width: number, height: number): Yuv[] {
  const chromaWidth = width / 2;
  const lumaBytes = width * height;
  const chromaBytes = lumaBytes / 4;
  const mean = (offset: number, stride: number, x0: number, y0: number, w: number, h: number) => {
    let sum = 0;
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) sum += frame[offset + y * stride + x] ?? 0;
    }
    return sum / (w * h);
  };
  const means: Yuv[] = [];
  for (const [qx, qy] of [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ] as const) {
    const lw = width / 2;
    const lh = height / 2;
    const cw = lw / 2;
    const ch = lh / 2;
    means.push([
      mean(0, width, qx * lw + lw / 4, qy * lh + lh / 4, lw / 2, lh / 2),
      mean(lumaBytes, chromaWidth, qx * cw + cw / 4, qy * ch + ch / 4, cw / 2, ch / 2),
      mean(
        lumaBytes + chromaBytes,
        chromaWidth,
        qx * cw + cw / 4,
        qy * ch + ch / 4,
        cw / 2,
        ch / 2,
      ),
    ]);
  }
  return means;
}

const distance = (a: Yuv, b: Yuv) =>
  Math.max(...a.map((value, i) => Math.abs(value - (b[i] ?? NaN))));

/** Each quadrant within `tolerance` of the reference, and nearer its own reference than any other. */
function expectSamePicture(actual: Yuv[], reference: Yuv[], tolerance: number): void {
  expect(actual).toHaveLength(reference.length);
  actual.forEach((colour, quadrant) => {
    const own = reference[quadrant];
    if (own === undefined) throw new Error(`no reference for quadrant ${quadrant}`);
    expect(distance(colour, own)).toBeLessThan(tolerance);
    reference.forEach((other, otherQuadrant) => {
      if (otherQuadrant !== quadrant) {
        expect(distance(colour, other)).toBeGreaterThan(distance(colour, own));
      }
    });
  });
}

function probe(file: string): { codec: string; width: number; height: number; frames: number } {
  const json = execFileSync('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames',
    '-of',
    'json',
    file,
  ]).toString();
  const stream = (
    JSON.parse(json) as {
      streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[];
    }
  ).streams[0];
  if (stream === undefined) throw new Error(`${file} has no video stream`);
  return {
    codec: stream.codec_name,
    width: stream.width,
    height: stream.height,
    frames: Number(stream.nb_read_frames),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

describe('ffmpeg video source and sink in a call', () => {
  it('sends a file at the chosen size and rate, and records what arrives', async () => {
    // 640×480 at 25 fps in; 320×240 at 15 fps out: ffmpeg scales and resamples the rate.
    const input = quadrantVideo('quadrants.mkv', 640, 480, 3);
    const reference = quadrantMeans(decodeFrame(input, 320, 240), 320, 240);
    const pair = startPair({ version: '11.0.0', video: true, deliverVideoFrames: true });
    const received: VideoFrame[] = [];
    pair.callee.on('videoFrame', (frame) => received.push(frame));
    await pair.established;
    const recordingPath = path.join(dir, 'received.mkv');
    const recording = recordVideoWithFfmpeg(pair.callee, recordingPath);

    const startedAt = performance.now();
    const source = sendVideoWithFfmpeg(pair.caller, input, { width: 320, height: 240, fps: 15 });
    const sent = await source.done;
    const sendingMs = performance.now() - startedAt;
    await wait(500); // the last frames cross the call
    const recorded = await recording.stop();
    await pair.stop();

    // 3 s at 15 fps, paced: the 45th frame cannot go before 44 intervals have passed.
    expect(sent.reason).toBe('ended');
    expect(sent.framesSent).toBeGreaterThanOrEqual(44);
    expect(sent.framesSent).toBeLessThanOrEqual(46);
    expect(sendingMs).toBeGreaterThan((44 / 15) * 1000 * 0.95);

    const fullSize = received.filter((frame) => frame.width === 320 && frame.height === 240);
    expect(fullSize.length).toBeGreaterThan(20);
    expect(received.length).toBeLessThanOrEqual(sent.framesSent);
    // Capture times travel with the frames: unpaced pushes would be milliseconds apart.
    const intervalsMs = received
      .slice(1)
      .map((frame, i) => (frame.timestampUs - (received[i]?.timestampUs ?? 0)) / 1000);
    expect(median(intervalsMs)).toBeGreaterThan(55);
    expect(median(intervalsMs)).toBeLessThan(80);
    const last = fullSize[fullSize.length - 1];
    if (last === undefined) throw new Error('no full-size frame');
    expectSamePicture(quadrantMeans(last.data, 320, 240), reference, 20);

    // The recording: H.264 (.mkv default), the first frame's size, real time at 30 fps.
    expect(recorded.width).toBe(320);
    expect(recorded.height).toBe(240);
    expect(recorded.framesReceived).toBe(received.length);
    expect(recorded.framesWritten + recorded.framesDropped + recorded.framesSkipped).toBe(
      recorded.framesReceived,
    );
    const file = probe(recordingPath);
    expect(file).toEqual({
      codec: 'h264',
      width: 320,
      height: 240,
      frames: recorded.framesWritten + recorded.framesRepeated,
    });
    expect(file.frames).toBeGreaterThan(20);
    const middle = decodeFrame(recordingPath, 320, 240, Math.floor(file.frames / 2));
    expectSamePicture(quadrantMeans(middle, 320, 240), reference, 25);
  }, 20_000);

  it('loops until stopped, and turns bad inputs into typed errors without harming the call', async () => {
    const input = quadrantVideo('short.mkv', 160, 120, 1);
    const textFile = path.join(dir, 'notes.mkv');
    fs.writeFileSync(textFile, 'not a video, only text\n'.repeat(100));
    const audioOnly = path.join(dir, 'tone.wav');
    ffmpeg(['-y', '-f', 'lavfi', '-i', 'sine=d=1', audioOnly]);
    const pair = startPair({ version: '10.0.0', video: true, deliverVideoFrames: true });
    let received = 0;
    pair.callee.on('videoFrame', () => received++);
    await pair.established;

    const looping = sendVideoWithFfmpeg(pair.caller, input, {
      width: 160,
      height: 120,
      fps: 20,
      loop: true,
    });
    await wait(2000);
    // Two seconds of a one-second file: only looping gives more than 20 frames.
    expect(looping.framesSent).toBeGreaterThan(25);
    // ffmpeg decodes a few frames ahead, not the file as fast as it can.
    expect(looping.framesDecoded - looping.framesSent).toBeLessThanOrEqual(6);
    await looping.stop();
    await expect(looping.done).resolves.toMatchObject({ reason: 'stopped' });
    expect(looping.process.exitCode !== null || looping.process.signalCode !== null).toBe(true);
    expect(received).toBeGreaterThan(0);

    const failures: [string, () => ReturnType<typeof sendVideoWithFfmpeg>, string][] = [
      [
        'a missing file',
        () => sendVideoWithFfmpeg(pair.caller, path.join(dir, 'missing.mp4')),
        'MEDIA_FILE_NOT_FOUND',
      ],
      ['a text file', () => sendVideoWithFfmpeg(pair.caller, textFile), 'MEDIA_FILE_INVALID'],
      [
        'an audio-only file',
        () => sendVideoWithFfmpeg(pair.caller, audioOnly),
        'MEDIA_FILE_INVALID',
      ],
      [
        'no ffmpeg',
        () => sendVideoWithFfmpeg(pair.caller, input, { ffmpegPath: path.join(dir, 'no-ffmpeg') }),
        'MEDIA_FFMPEG_MISSING',
      ],
    ];
    for (const [what, start, code] of failures) {
      const source = start();
      await expect(source.done).rejects.toMatchObject({ name: 'TgCallsError', code });
      await source.stop(); // harmless after a failure
      expect({ what, framesSent: source.framesSent }).toEqual({ what, framesSent: 0 });
    }
    await expect(pair.stop()).resolves.toBeUndefined();
  }, 20_000);

  it('refuses sizes and rates out of range', () => {
    const engine = new EventEmitter() as unknown as NativeCallEngine;
    expect(() => sendVideoWithFfmpeg(engine, 'x.mkv', { width: 641.5 })).toThrow(RangeError);
    expect(() => sendVideoWithFfmpeg(engine, 'x.mkv', { fps: 0 })).toThrow(RangeError);
    expect(() => recordVideoWithFfmpeg(engine, 'x.mkv', { fps: 61 })).toThrow(RangeError);
  });
});

describe('ffmpeg video sink without a call', () => {
  // A stand-in engine: the sink only listens for 'videoFrame'.
  const fakeEngine = () => new EventEmitter() as unknown as NativeCallEngine;

  function solidFrame(width: number, height: number, y: number, u: number, v: number): Buffer {
    const frame = Buffer.alloc(i420ByteLength(width, height), y);
    const chroma = (width / 2) * (height / 2);
    frame.fill(u, width * height, width * height + chroma);
    frame.fill(v, width * height + chroma);
    return frame;
  }

  const frame = (data: Buffer, width: number, height: number, timestampUs: number): VideoFrame => ({
    width,
    height,
    rotation: 0,
    timestampUs,
    data,
  });

  it('scales a frame of another size into the first size', async () => {
    const engine = fakeEngine();
    const output = path.join(dir, 'resized.mkv');
    const recording = recordVideoWithFfmpeg(engine, output, { fps: 10 });
    const big = solidFrame(320, 240, 200, 60, 200);
    const small = solidFrame(160, 120, 200, 60, 200);
    for (let i = 0; i < 10; i++) {
      const [data, width, height] = i < 5 ? [big, 320, 240] : [small, 160, 120];
      engine.emit('videoFrame', frame(data, width, height, 1e6 + i * 100_000));
      await wait(20); // at the pace of a call, so ffmpeg keeps up and nothing is dropped
    }
    const summary = await recording.stop();
    expect(summary).toMatchObject({ width: 320, height: 240, framesWritten: 10, framesScaled: 5 });
    expect(probe(output)).toMatchObject({ width: 320, height: 240, frames: 10 });
    const [y, u, v] = quadrantMeans(decodeFrame(output, 320, 240, 9), 320, 240)[3] ?? [];
    expect(Math.abs((y ?? 0) - 200)).toBeLessThan(6);
    expect(Math.abs((u ?? 0) - 60)).toBeLessThan(6);
    expect(Math.abs((v ?? 0) - 200)).toBeLessThan(6);
  });

  it('fills a gap with the last frame and drops, counting, while ffmpeg does not read', async () => {
    // An "ffmpeg" that reads nothing for a second, then everything: stdin backs up meanwhile.
    const slowFfmpeg = path.join(dir, 'slow-ffmpeg');
    fs.writeFileSync(slowFfmpeg, '#!/bin/sh\nsleep 1\nexec cat > /dev/null\n', { mode: 0o755 });
    const engine = fakeEngine();
    const recording = recordVideoWithFfmpeg(engine, path.join(dir, 'slow.mkv'), {
      fps: 30,
      ffmpegPath: slowFfmpeg,
    });
    const picture = solidFrame(1280, 720, 128, 128, 128);
    // Frame 0, then one 100 ms later: two slots in between are filled by repeating frame 0.
    engine.emit('videoFrame', frame(picture, 1280, 720, 5_000_000));
    engine.emit('videoFrame', frame(picture, 1280, 720, 5_100_000));
    for (let i = 1; i <= 100; i++) {
      engine.emit('videoFrame', frame(picture, 1280, 720, 5_100_000 + i * 33_333));
    }
    const buffered = recording.process?.stdin.writableLength ?? 0;
    const summary = await recording.stop();
    expect(summary.framesRepeated).toBe(2);
    expect(summary.framesDropped).toBeGreaterThan(80);
    expect(summary.framesWritten + summary.framesDropped + summary.framesSkipped).toBe(102);
    // Bounded: 16 MiB (12 frames of 720p) and the last batch written, not 100 frames.
    expect(buffered).toBeLessThanOrEqual((16 << 20) + 3 * i420ByteLength(1280, 720));
  });

  it('reports an output it cannot write as MEDIA_FILE_UNWRITABLE, and writes nothing without frames', async () => {
    const engine = fakeEngine();
    const recording = recordVideoWithFfmpeg(engine, path.join(dir, 'no-such-dir', 'out.mkv'));
    engine.emit('videoFrame', frame(solidFrame(64, 64, 16, 128, 128), 64, 64, 1));
    await expect(recording.done).rejects.toMatchObject({ code: 'MEDIA_FILE_UNWRITABLE' });
    expect(engine.listenerCount('videoFrame')).toBe(0);
    await expect(recording.stop()).rejects.toMatchObject({ code: 'MEDIA_FILE_UNWRITABLE' });

    const idle = recordVideoWithFfmpeg(engine, path.join(dir, 'idle.mkv'));
    await expect(idle.stop()).resolves.toMatchObject({ width: undefined, framesReceived: 0 });
    expect(fs.existsSync(path.join(dir, 'idle.mkv'))).toBe(false);
    expect(idle.process).toBeUndefined();
  });

  it('scales I420 by nearest neighbour, chroma planes included', () => {
    // 4×2 luma 0..7, chroma 2×1: U = [10, 20], V = [30, 40] → 2×2 (chroma 1×1).
    const source = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 10, 20, 30, 40]);
    expect([...scaleI420(source, 4, 2, 2, 2)]).toEqual([1, 3, 5, 7, 20, 40]);
  });
});
