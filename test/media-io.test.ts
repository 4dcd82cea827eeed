import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';

import { analyseTone, longestGapMs } from '../lib/media/analysis';
import { recordWithFfmpeg, sendWithFfmpeg } from '../lib/media/ffmpeg';
import { PcmConverter } from '../lib/media/pcm-converter';
import { receiveToStream, sendPcmStream } from '../lib/media/streams';
import { decodeWav, encodeWav, sineTone } from '../lib/media/wav';
import { startPair } from './support/engine-pair';
import { repoRoot } from './support/paths';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-media-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function joinFrames(frames: Int16Array[]): Int16Array {
  const joined = new Int16Array(frames.reduce((total, frame) => total + frame.length, 0));
  let offset = 0;
  for (const frame of frames) {
    joined.set(frame, offset);
    offset += frame.length;
  }
  return joined;
}

function toneWav(name: string, hz: number, seconds: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, seconds) }),
  );
  return file;
}

describe('PCM conversion', () => {
  it('turns 44.1 kHz stereo float PCM into 48 kHz mono, keeping the frequency', () => {
    const rate = 44100;
    const input = Buffer.alloc(rate * 8); // 1 s, 2 channels × 4 bytes
    for (let i = 0; i < rate; i++) {
      const value = 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate);
      input.writeFloatLE(value, i * 8);
      input.writeFloatLE(value, i * 8 + 4);
    }
    const converter = new PcmConverter({ format: 'f32le', sampleRate: rate, channels: 2 });
    // Odd chunk sizes split frames and samples.
    const parts: Int16Array[] = [];
    for (let offset = 0; offset < input.length; offset += 1001) {
      parts.push(converter.convert(input.subarray(offset, offset + 1001)));
    }
    const output = joinFrames(parts);
    expect(Math.abs(output.length - 48000)).toBeLessThan(10);
    const analysis = analyseTone(output, 48000, 440);
    expect(analysis.dominantHz).toBeCloseTo(440, -1);
    expect(analysis.levelDbfs).toBeCloseTo(-9, 0);
  });
});

describe('audio sources and sinks in a call', () => {
  it('sends a PCM Readable at its own pace with backpressure, at 16 kHz stereo', async () => {
    const pair = startPair({ version: '11.0.0', calleeAudio: { deliverIncoming: true } });
    const heard: Int16Array[] = [];
    pair.callee.on('audio', (frame) => heard.push(frame));
    await pair.established;
    const rate = 16000;
    const pcm = Buffer.alloc(rate * 2 * 2 * 2); // 2 s of s16le stereo
    for (let i = 0; i < rate * 2; i++) {
      const value = Math.round(12000 * Math.sin((2 * Math.PI * 500 * i) / rate));
      pcm.writeInt16LE(value, i * 4);
      pcm.writeInt16LE(value, i * 4 + 2);
    }
    const startedAt = Date.now();
    const source = sendPcmStream(pair.caller, Readable.from([pcm]), {
      format: 's16le',
      sampleRate: rate,
      channels: 2,
    });
    await source.done;
    // The stream is consumed at the pace of the call (1 s queue ahead), not at once.
    expect(Date.now() - startedAt).toBeGreaterThan(700);
    await wait(1200);
    await pair.stop();
    const analysis = analyseTone(joinFrames(heard), 48000, 500);
    expect(analysis.dominantHz).toBeCloseTo(500, -1);
    expect(analysis.toneFraction).toBeGreaterThan(0.9);
  });

  it('sends an Ogg/Opus file through ffmpeg and records into Ogg/Opus through ffmpeg', async () => {
    const wav = toneWav('source-800.wav', 800, 2);
    const ogg = path.join(dir, 'source-800.ogg');
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      wav,
      '-c:a',
      'libopus',
      ogg,
    ]);
    const pair = startPair({ version: '10.0.0', calleeAudio: { deliverIncoming: true } });
    await pair.established;
    const recordingPath = path.join(dir, 'heard.ogg');
    const recording = recordWithFfmpeg(pair.callee, recordingPath);
    const source = sendWithFfmpeg(pair.caller, ogg);
    await source.done;
    await wait(1300);
    recording.stop();
    await recording.finished;
    await pair.stop();
    const decoded = execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      recordingPath,
      '-f',
      's16le',
      '-ac',
      '1',
      '-ar',
      '48000',
      'pipe:1',
    ]);
    const samples = new Int16Array(decoded.buffer, decoded.byteOffset, decoded.length / 2);
    const analysis = analyseTone(samples, 48000, 800);
    expect(analysis.dominantHz).toBeCloseTo(800, -1);
    expect(analysis.toneFraction).toBeGreaterThan(0.8);
    expect(recording.droppedFrames).toBe(0);
  });

  it('drops and counts frames for a slow Writable instead of buffering them', async () => {
    const pair = startPair({
      version: '11.0.0',
      calleeAudio: { deliverIncoming: true },
      callerAudio: { inputWav: toneWav('slow.wav', 400, 1), loopInput: true },
    });
    await pair.established;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 4800,
      write(_chunk, _encoding, callback) {
        maxBuffered = Math.max(maxBuffered, this.writableLength);
        setTimeout(callback, 100); // ten times slower than real time
      },
    });
    const sink = receiveToStream(pair.callee, slow);
    await wait(1500);
    sink.stop();
    await pair.stop();
    expect(sink.droppedFrames).toBeGreaterThan(50);
    expect(maxBuffered).toBeLessThanOrEqual(4800 + 960);
  });

  it('switches the source mid-call without a gap, and reports a source that ran dry', async () => {
    const first = toneWav('first-600.wav', 600, 1);
    const second = toneWav('second-900.wav', 900, 0.8);
    const conversation = path.join(dir, 'conversation.wav');
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: first, loopInput: true, conversationWav: conversation },
      calleeAudio: { deliverIncoming: true },
    });
    const heard: Int16Array[] = [];
    pair.callee.on('audio', (frame) => heard.push(frame));
    const drained = new Promise<number>((resolve) =>
      pair.caller.once('inputDrained', () => {
        resolve(Date.now());
      }),
    );
    await pair.established;
    await wait(1000);
    const switchedAt = Date.now();
    pair.caller.useWavInput(second); // not looping: runs dry after 0.8 s
    const dryAt = await drained;
    expect(dryAt - switchedAt).toBeGreaterThan(600);
    await pair.stop();
    const all = joinFrames(heard);
    // From the first audio to the end of the second file: no drop-out over 40 ms.
    const untilDry = all.subarray(0, all.length - 10);
    expect(longestGapMs(untilDry.subarray(0, untilDry.length - 4800), 48000)).toBeLessThanOrEqual(
      40,
    );
    const tail = all.subarray(all.length - 28800, all.length - 9600); // 0.6 s to 0.2 s before the end
    expect(analyseTone(tail, 48000, 900).dominantHz).toBeCloseTo(900, -1);
    // The conversation file: left what the caller sent.
    const stereo = decodeWav(fs.readFileSync(conversation));
    expect(stereo.channels).toBe(2);
    const left = stereo.samples.filter((_sample, i) => i % 2 === 0);
    expect(analyseTone(left.subarray(0, 48000), 48000, 600).dominantHz).toBeCloseTo(600, -1);
  });

  it('keeps a recording playable when the process is killed mid-call', async () => {
    const recording = path.join(dir, 'killed.wav');
    const child = spawn(process.execPath, [
      '-e',
      `const { runLoopbackCall } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'engine', 'loopback.js'))});
       runLoopbackCall({ seconds: 10, workDir: ${JSON.stringify(dir)} });`,
    ]);
    await wait(3500);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.copyFileSync(path.join(dir, 'callee-heard.wav'), recording);
    const audio = decodeWav(fs.readFileSync(recording));
    // The header is brought up to date every second: at least a second of audio is declared.
    expect(fs.readFileSync(recording).readUInt32LE(40)).toBeGreaterThanOrEqual(48000 * 2);
    expect(analyseTone(audio.samples, 48000, 1000).dominantHz).toBeCloseTo(1000, -1);
  });

  it('rejects a switch to a file that is not WAV and keeps the current source', async () => {
    const bogus = path.join(dir, 'not-audio.wav');
    fs.writeFileSync(bogus, 'this is not audio');
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: toneWav('keep.wav', 300, 1), loopInput: true },
    });
    expect(() => {
      pair.caller.useWavInput(bogus);
    }).toThrow(expect.objectContaining({ code: 'MEDIA_FILE_INVALID' }) as Error);
    expect(() => {
      pair.caller.useWavInput(path.join(dir, 'missing.wav'));
    }).toThrow(expect.objectContaining({ code: 'MEDIA_FILE_NOT_FOUND' }) as Error);
    await pair.stop();
  });

  it('rejects with a typed error when ffmpeg is missing or cannot read or write, and the call goes on', async () => {
    const pair = startPair({ version: '11.0.0', calleeAudio: { deliverIncoming: true } });
    await pair.established;
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: unknown) => (error as { code?: string }).code,
      );
    const notMedia = path.join(dir, 'notes.txt');
    fs.writeFileSync(notMedia, 'not audio at all\n'.repeat(100));
    const missingFile = codeOf(sendWithFfmpeg(pair.caller, path.join(dir, 'absent.mp3')).done);
    const invalidFile = codeOf(sendWithFfmpeg(pair.caller, notMedia).done);
    const noFfmpeg = codeOf(
      sendWithFfmpeg(pair.caller, notMedia, { ffmpegPath: path.join(dir, 'no-ffmpeg') }).done,
    );
    const unwritable = recordWithFfmpeg(pair.callee, path.join(dir, 'absent-dir', 'heard.ogg'));
    expect(await missingFile).toBe('MEDIA_FILE_NOT_FOUND');
    expect(await invalidFile).toBe('MEDIA_FILE_INVALID');
    expect(await noFfmpeg).toBe('MEDIA_FFMPEG_MISSING');
    expect(await codeOf(unwritable.finished)).toBe('MEDIA_FILE_UNWRITABLE');
    unwritable.stop();
    expect((await pair.caller.getStats()).bytesReceived).toBeGreaterThan(0);
    await pair.stop();
  });
});
