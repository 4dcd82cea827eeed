/**
 * Ogg Opus files read and written natively (media/ogg_opus), in real calls, checked against
 * ffmpeg in both directions: ffmpeg's files play through our reader, our recordings decode with
 * ffmpeg and ffprobe.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { analyseTone } from '../lib/media/analysis';
import { encodeWav, sineTone } from '../lib/media/wav';
import { startPair } from './support/engine-pair';
import { repoRoot } from './support/paths';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-ogg-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const amplitude = 0.4; // sineTone's default
const toneDbfs = 20 * Math.log10(amplitude / Math.SQRT2);

function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

/** Decodes any file with ffmpeg to 48 kHz mono int16. */
function decodeWithFfmpeg(file: string): Int16Array {
  const pcm = ffmpeg(['-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', 'pipe:1']);
  return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
}

interface ProbedStream {
  codec_name: string;
  channels: number;
  sample_rate: string;
}
function probe(file: string): { streams: ProbedStream[]; format: { duration: string } } {
  const json = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    file,
  ]).toString();
  return JSON.parse(json) as { streams: ProbedStream[]; format: { duration: string } };
}

/** A sine tone encoded by ffmpeg's libopus (its own pre-skip, page layout and tags). */
function ffmpegOpusTone(name: string, hz: number, seconds: number, channels: 1 | 2): string {
  const wav = path.join(dir, `${name}.wav`);
  const samples = sineTone(hz, seconds);
  const interleaved = new Int16Array(samples.length * channels);
  for (let i = 0; i < samples.length; i++) {
    for (let c = 0; c < channels; c++) interleaved[i * channels + c] = samples[i] ?? 0;
  }
  fs.writeFileSync(wav, encodeWav({ sampleRate: 48000, channels, samples: interleaved }));
  const ogg = path.join(dir, `${name}.ogg`);
  ffmpeg(['-i', wav, '-c:a', 'libopus', '-b:a', '96k', ogg]);
  return ogg;
}

describe('Ogg Opus files in a call', () => {
  it("plays ffmpeg's Ogg Opus (stereo) and records Ogg Opus that ffmpeg decodes", async () => {
    const source = ffmpegOpusTone('ffmpeg-stereo-700', 700, 2, 2);
    const recording = path.join(dir, 'heard.opus');
    const conversation = path.join(dir, 'conversation.oga');
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputFile: source, loopInput: true, conversationFile: conversation },
      calleeAudio: { outputFile: recording },
    });
    await pair.established;
    await wait(3000);
    await pair.stop();

    const probed = probe(recording);
    expect(probed.streams).toHaveLength(1);
    expect(probed.streams[0]).toMatchObject({ codec_name: 'opus', channels: 1 });
    const heard = decodeWithFfmpeg(recording);
    const analysis = analyseTone(heard, 48000, 700);
    expect(analysis.dominantHz).toBeCloseTo(700, -1);
    expect(analysis.toneFraction).toBeGreaterThan(0.9);
    expect(Math.abs(analysis.levelDbfs - toneDbfs)).toBeLessThan(3);

    // The conversation: stereo, left what the caller sent (the tone), right what it heard.
    const conversationProbe = probe(conversation);
    expect(conversationProbe.streams[0]).toMatchObject({ codec_name: 'opus', channels: 2 });
    const left = ffmpeg([
      '-i',
      conversation,
      '-af',
      'pan=mono|c0=c0',
      '-f',
      's16le',
      '-ar',
      '48000',
      'pipe:1',
    ]);
    const leftSamples = new Int16Array(left.buffer, left.byteOffset, left.length / 2);
    const sent = analyseTone(leftSamples, 48000, 700);
    expect(sent.dominantHz).toBeCloseTo(700, -1);
    expect(Math.abs(sent.levelDbfs - toneDbfs)).toBeLessThan(3);
  });

  it('sends its own Ogg Opus recording on (our files through our reader) and switches to one', async () => {
    // First call: record a WAV tone as Ogg Opus.
    const wav = path.join(dir, 'tone-500.wav');
    fs.writeFileSync(wav, encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(500, 2) }));
    const first = path.join(dir, 'first.ogg');
    const one = startPair({
      version: '10.0.0',
      callerAudio: { inputWav: wav, loopInput: true },
      calleeAudio: { outputWav: first }, // the older name writes Ogg Opus too
    });
    await one.established;
    await wait(2000);
    await one.stop();
    expect(fs.readFileSync(first).subarray(0, 4).toString()).toBe('OggS');

    // Second call: that recording is the input, switched to mid-call, and recorded again.
    const again = path.join(dir, 'again.ogg');
    const two = startPair({
      version: '11.0.0',
      calleeAudio: { outputFile: again },
    });
    await two.established;
    two.caller.useFileInput(first, { loop: true });
    await wait(2500);
    await two.stop();
    const analysis = analyseTone(decodeWithFfmpeg(again), 48000, 500);
    expect(analysis.dominantHz).toBeCloseTo(500, -1);
    expect(Math.abs(analysis.levelDbfs - toneDbfs)).toBeLessThan(3);
  });

  it('refuses damaged and foreign Ogg files with typed errors', async () => {
    const good = ffmpegOpusTone('ffmpeg-mono-300', 300, 0.5, 1);
    const bytes = fs.readFileSync(good);
    const cut = path.join(dir, 'cut.ogg');
    fs.writeFileSync(cut, bytes.subarray(0, 40)); // inside the OpusHead page
    const vorbis = path.join(dir, 'vorbis.ogg');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3', '-c:a', 'libvorbis', vorbis]);
    const pair = startPair({ version: '11.0.0' });
    for (const file of [cut, vorbis]) {
      expect(() => {
        pair.caller.useFileInput(file);
      }).toThrow(expect.objectContaining({ code: 'MEDIA_FILE_INVALID' }) as Error);
    }
    expect(() =>
      startPair({ version: '11.0.0', callerAudio: { inputFile: good, inputWav: good } }),
    ).toThrow(/not both/);
    expect(() =>
      startPair({ version: '11.0.0', calleeAudio: { outputFile: path.join(dir, 'no', 'x.ogg') } }),
    ).toThrow(expect.objectContaining({ code: 'MEDIA_FILE_UNWRITABLE' }) as Error);
    await pair.stop();
  });

  it('leaves an Ogg Opus recording that ffmpeg decodes when the process is killed mid-call', async () => {
    const tone = path.join(dir, 'kill-tone.wav');
    fs.writeFileSync(
      tone,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(1000, 2) }),
    );
    const recording = path.join(dir, 'killed.ogg');
    const dist = (module: string) => JSON.stringify(path.join(repoRoot, 'dist', module));
    const child = spawn(process.execPath, [
      '-e',
      `const { DhExchange, TELEGRAM_DH_GENERATOR, telegramDhPrime } = require(${dist('crypto')});
       const { NativeCallEngine } = require(${dist('engine/native-engine.js')});
       const p = telegramDhPrime();
       const a = new DhExchange(p, TELEGRAM_DH_GENERATOR), b = new DhExchange(p, TELEGRAM_DH_GENERATOR);
       const config = { connectTimeoutMs: 30000, packetTimeoutMs: 10000, enableEchoCancellation: false,
                        enableNoiseSuppression: false, enableGainControl: false };
       const common = { version: '11.0.0', rtcServers: [], enableP2P: true, customParameters: {}, config, video: false };
       const caller = new NativeCallEngine({ ...common, key: a.computeKey(b.publicValue), isOutgoing: true,
                                             audio: { inputFile: ${JSON.stringify(tone)}, loopInput: true } });
       const callee = new NativeCallEngine({ ...common, key: b.computeKey(a.publicValue), isOutgoing: false,
                                             audio: { outputFile: ${JSON.stringify(recording)} } });
       caller.on('signalingData', (d) => callee.receiveSignalingData(d));
       callee.on('signalingData', (d) => caller.receiveSignalingData(d));
       callee.on('state', (s) => { if (s === 'established') console.log('established'); });
       caller.start(); callee.start();
       setInterval(() => {}, 1000);`,
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!output.includes('established') && Date.now() < deadline) await wait(100);
    expect(output).toContain('established');
    await wait(3500);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // No EOS page: ffmpeg plays what the pages flushed every second hold.
    const heard = decodeWithFfmpeg(recording);
    expect(heard.length).toBeGreaterThanOrEqual(48000 * 2);
    const analysis = analyseTone(heard, 48000, 1000);
    expect(analysis.dominantHz).toBeCloseTo(1000, -1);
    expect(Math.abs(analysis.levelDbfs - toneDbfs)).toBeLessThan(3);
  });
});
