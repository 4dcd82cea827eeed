/**
 * `node-tgcalls play` and `record` end to end: two CLI processes on a LocalExchange served
 * on a WebSocket (the hidden --exchange option), with the real engine. The Telegram login in
 * front of the same code cannot be tested without Telegram.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { LocalExchange } from '../lib/exchange';
import type { ExchangeEndpoint } from '../lib/exchange/endpoint';
import { analyseTone } from '../lib/media/analysis';
import { decodeWav, encodeWav, sineTone } from '../lib/media/wav';
import { repoRoot } from './support/paths';

const cli = path.join(repoRoot, 'dist', 'cli', 'main.js');
const toneHz = 800;

/** A LocalExchange that tells when a user's client has connected, so the caller can start. */
class WatchedExchange extends LocalExchange {
  readonly #waiting = new Map<bigint, () => void>();

  attached(userId: bigint): Promise<void> {
    return new Promise((resolve) => this.#waiting.set(userId, resolve));
  }

  override attach(endpoint: ExchangeEndpoint): () => void {
    const detach = super.attach(endpoint);
    this.#waiting.get(endpoint.userId)?.();
    return detach;
  }
}

interface Run {
  code: number;
  result: Record<string, unknown>;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args, '--json'], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      let result: Record<string, unknown> = {};
      try {
        result = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        result = { stdout, stderr };
      }
      resolve({ code, result });
    });
  });
}

/** Seconds of the recording with signal (100 ms windows above -50 dBFS). */
function audibleSeconds(samples: Int16Array, sampleRate: number): number {
  const window = sampleRate / 10;
  let audible = 0;
  for (let start = 0; start + window <= samples.length; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += (samples[i] ?? 0) ** 2;
    if (20 * Math.log10(Math.sqrt(sum / window) / 32768) > -50) audible++;
  }
  return audible / 10;
}

describe('node-tgcalls play and record', () => {
  let dir: string;
  let exchange: WatchedExchange;
  let url: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-cli-'));
    exchange = new WatchedExchange();
    url = await exchange.listen();
  });

  afterEach(async () => {
    await exchange.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `record` as user 2, then `play` as user 1 once the recorder is connected. */
  async function playToRecorder(playArgs: string[], recordArgs: string[]) {
    const recorderConnected = exchange.attached(2n);
    const recording = run(['record', ...recordArgs, '--exchange', url, '--as', '2']);
    await recorderConnected;
    const playing = run(['play', '2', ...playArgs, '--exchange', url, '--as', '1']);
    const [play, record] = await Promise.all([playing, recording]);
    return { play, record };
  }

  it('plays a WAV file to the other side, which records it; the caller hangs up at its end', async () => {
    const tone = path.join(dir, 'tone.wav');
    fs.writeFileSync(
      tone,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(toneHz, 3) }),
    );
    const heard = path.join(dir, 'heard.wav');

    const { play, record } = await playToRecorder([tone], [heard, '--from', '1', '--wait', '30']);

    expect(play.result).toMatchObject({
      ok: true,
      decoder: 'wav',
      stoppedBy: 'fileEnded',
      peerUserId: '2',
      ended: { reason: 'hangup', endedBy: 'local' },
    });
    expect(play.code).toBe(0);
    expect(play.result.emoji).toHaveLength(4);
    expect(record.result).toMatchObject({
      ok: true,
      answered: true,
      encoder: 'wav',
      stoppedBy: 'callEnded',
      peerUserId: '1',
      ended: { endedBy: 'remote' },
      emoji: play.result.emoji,
    });
    expect(record.code).toBe(0);
    expect((record.result.peakLevels as { incoming: number }).incoming).toBeGreaterThan(0.3);

    const audio = decodeWav(fs.readFileSync(heard));
    const analysis = analyseTone(audio.samples, audio.sampleRate, toneHz);
    expect(analysis.dominantHz).toBeCloseTo(toneHz, -1);
    expect(analysis.toneFraction).toBeGreaterThan(0.9);
    // The tone was generated at 0.4 of full scale: an RMS of about -11 dBFS.
    expect(analysis.levelDbfs).toBeGreaterThan(-16);
    expect(analysis.levelDbfs).toBeLessThan(-7);
    // The whole file arrived, and the call ended when it did.
    expect(audibleSeconds(audio.samples, audio.sampleRate)).toBeGreaterThan(2.6);
    expect(audibleSeconds(audio.samples, audio.sampleRate)).toBeLessThan(3.6);
  }, 60_000);

  it('decodes and encodes other formats with ffmpeg; --loop plays until the recorder stops at --duration', async () => {
    const tone = path.join(dir, 'tone.flac');
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${toneHz}:sample_rate=44100:duration=1`,
      tone,
    ]);
    const heard = path.join(dir, 'heard.ogg');

    const { play, record } = await playToRecorder(
      [tone, '--loop'],
      [heard, '--duration', '3', '--wait', '30'],
    );

    expect(record.result).toMatchObject({
      ok: true,
      encoder: 'ffmpeg',
      stoppedBy: 'duration',
      ended: { endedBy: 'local' },
    });
    expect(record.code).toBe(0);
    expect(play.result).toMatchObject({
      ok: true,
      decoder: 'ffmpeg',
      stoppedBy: 'callEnded',
      ended: { endedBy: 'remote' },
    });
    expect(play.code).toBe(0);

    const decoded = path.join(dir, 'heard-decoded.wav');
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      heard,
      '-ac',
      '1',
      decoded,
    ]);
    const audio = decodeWav(fs.readFileSync(decoded));
    const analysis = analyseTone(audio.samples, audio.sampleRate, toneHz);
    expect(analysis.dominantHz).toBeCloseTo(toneHz, -1);
    expect(analysis.toneFraction).toBeGreaterThan(0.9);
    expect(analysis.levelDbfs).toBeGreaterThan(-30);
    // 3 s of call, less ffmpeg's start and the way across.
    expect(audibleSeconds(audio.samples, audio.sampleRate)).toBeGreaterThan(2);
  }, 60_000);
});
