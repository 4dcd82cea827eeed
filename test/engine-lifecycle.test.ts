import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { analyseTone } from '../lib/media/analysis';
import { encodeWav, sineTone } from '../lib/media/wav';
import { runNode } from './support/child';
import { startPair } from './support/engine-pair';
import { repoRoot } from './support/paths';

const loopbackModule = JSON.stringify(path.join(repoRoot, 'dist', 'engine', 'loopback.js'));
const pairSource = `
  const { DhExchange, telegramDhPrime } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'crypto', 'index.js'))});
  const { NativeCallEngine } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'engine', 'native-engine.js'))});
  function startCall(version) {
    const p = telegramDhPrime();
    const a = new DhExchange(p, 3), b = new DhExchange(p, 3);
    const config = { connectTimeoutMs: 30000, packetTimeoutMs: 10000 };
    const common = { version, rtcServers: [], enableP2P: true, customParameters: {}, config, video: false };
    const caller = new NativeCallEngine({ ...common, key: a.computeKey(b.publicValue), isOutgoing: true });
    const callee = new NativeCallEngine({ ...common, key: b.computeKey(a.publicValue), isOutgoing: false });
    caller.on('signalingData', (d) => callee.receiveSignalingData(d));
    callee.on('signalingData', (d) => caller.receiveSignalingData(d));
    const established = new Promise((resolve) => caller.on('state', (s) => s === 'established' && resolve()));
    caller.start(); callee.start();
    return established;
  }`;

describe('engine lifecycle', () => {
  it('exits cleanly when process.exit() runs with calls still connected', () => {
    const child = runNode(`${pairSource}
      Promise.all([startCall('11.0.0'), startCall('10.0.0')]).then(() => process.exit(5));`);
    expect(child.signal).toBeNull();
    expect(child.status).toBe(5);
    expect(child.stderr).toBe('');
  });

  it('lets the process end once its calls are stopped, and not before', () => {
    const child = runNode(`
      require(${loopbackModule}).runLoopbackCall({ seconds: 1 }).then((report) => {
        process.stdout.write(report.connected ? 'connected' : 'not connected');
      });`);
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('connected');
  });

  it('stops the calls of a worker that is terminated mid-call', async () => {
    // Termination races the events the calls keep delivering; a callback caught mid-termination
    // once aborted the process (node-addon-api's fatal "Error::Error"), so vary the moment.
    for (let round = 0; round < 8; round++) {
      const worker = new Worker(
        `${pairSource}
         startCall('11.0.0').then(() => require('node:worker_threads').parentPort.postMessage('up'));`,
        { eval: true },
      );
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, round * 7));
      await worker.terminate();
    }
  }, 60_000);

  it('sends PCM pushed from JavaScript, with backpressure and an underrun count', async () => {
    const received: Int16Array[] = [];
    const pair = startPair({
      version: '11.0.0',
      calleeAudio: { deliverIncoming: true },
      callerAudio: { inputQueueMs: 200 },
    });
    pair.callee.on('audio', (frame) => received.push(frame));
    await pair.established;
    const tone = sineTone(800, 3);
    let offset = 0;
    let refused = 0;
    // Push in 20 ms chunks as fast as the queue takes them; the native clock drains it.
    const pump = setInterval(() => {
      while (offset < tone.length) {
        const chunk = tone.subarray(offset, offset + 960);
        if (!pair.caller.pushAudio(chunk)) {
          refused++;
          break;
        }
        offset += chunk.length;
      }
    }, 5);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    clearInterval(pump);
    const counters = pair.caller.audioCounters();
    await pair.stop();
    expect(refused).toBeGreaterThan(0); // the 200 ms queue pushed back
    expect(counters.queuedInputSamples).toBeLessThanOrEqual(200 * 48);
    const heard = new Int16Array(received.reduce((total, frame) => total + frame.length, 0));
    received.reduce((position, frame) => {
      heard.set(frame, position);
      return position + frame.length;
    }, 0);
    const analysis = analyseTone(heard, 48000, 800);
    expect(analysis.dominantHz).toBeCloseTo(800, -1);
    expect(analysis.toneFraction).toBeGreaterThan(0.9);
  });

  it('reports the peak level of both directions, what is sent and what is heard', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-levels-'));
    const toneFile = path.join(dir, 'tone.wav');
    // A 440 Hz sine at half of full scale, so the peak to expect is 0.5.
    fs.writeFileSync(
      toneFile,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(440, 3, 0.5) }),
    );
    const pair = startPair({ version: '11.0.0', callerAudio: { inputWav: toneFile } });
    const callerLevels: { outgoing: number; incoming: number }[] = [];
    const calleeLevels: { outgoing: number; incoming: number }[] = [];
    pair.caller.on('audioLevels', (levels) => callerLevels.push(levels));
    pair.callee.on('audioLevels', (levels) => calleeLevels.push(levels));
    await pair.established;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pair.stop();
    fs.rmSync(dir, { recursive: true });
    const loudest = (
      levels: { outgoing: number; incoming: number }[],
      key: 'outgoing' | 'incoming',
    ) => Math.max(...levels.map((level) => level[key]));
    expect(loudest(callerLevels, 'outgoing')).toBeCloseTo(0.5, 1);
    expect(loudest(calleeLevels, 'incoming')).toBeGreaterThan(0.3); // through Opus
    // The callee sends silence, which Opus decodes to within a few LSB of zero.
    expect(loudest(calleeLevels, 'outgoing')).toBeLessThan(0.001);
    expect(loudest(callerLevels, 'incoming')).toBeLessThan(0.001);
  });

  it('measures bitrates over the last second however often stats are asked for', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-bitrate-'));
    const toneFile = path.join(dir, 'tone.wav');
    fs.writeFileSync(
      toneFile,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(440, 2) }),
    );
    const pair = startPair({
      version: '10.0.0',
      callerAudio: { inputWav: toneFile, loopInput: true },
    });
    await pair.established;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sendKbps: number[] = [];
    const receiveKbps: number[] = [];
    for (let i = 0; i < 10; i++) {
      sendKbps.push((await pair.caller.getStats()).sendBitrateKbps);
      receiveKbps.push((await pair.callee.getStats()).receiveBitrateKbps);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await pair.stop();
    fs.rmSync(dir, { recursive: true });
    // Opus at up to 32 kbps plus RTP, SRTP and RTCP overhead; a 50 ms delta taken as a second's
    // worth would read a few kbps.
    for (const kbps of [...sendKbps, ...receiveKbps]) {
      expect(kbps).toBeGreaterThan(20);
      expect(kbps).toBeLessThan(90);
    }
  });

  it('closes its input and recording files when stopped, not when collected', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-files-'));
    const toneFile = path.join(dir, 'tone.wav');
    const recording = path.join(dir, 'heard.wav');
    fs.writeFileSync(
      toneFile,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(440, 1) }),
    );
    const openFiles = () =>
      fs.readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return [fs.readlinkSync(`/proc/self/fd/${fd}`)];
        } catch {
          return [];
        }
      });
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: toneFile, loopInput: true },
      calleeAudio: { outputWav: recording },
    });
    await pair.established;
    expect(openFiles()).toEqual(expect.arrayContaining([toneFile, recording]));
    await pair.stop();
    // `pair` still holds both engines: only stop() can have closed the files.
    expect(openFiles().filter((file) => file.startsWith(dir))).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  it('counts an underrun when nothing is pushed', async () => {
    const pair = startPair({ version: '10.0.0' });
    await pair.established;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counters = pair.caller.audioCounters();
    await pair.stop();
    expect(counters.inputUnderruns).toBeGreaterThan(0);
    expect(counters.framesSent).toBeGreaterThan(0);
  });

  it('applies noise suppression when asked, and leaves the audio untouched by default', async () => {
    const levels = async (enableNoiseSuppression: boolean): Promise<number> => {
      const received: Int16Array[] = [];
      const pair = startPair({
        version: '11.0.0',
        callerAudio: { inputQueueMs: 3000 },
        calleeAudio: { deliverIncoming: true },
        config: { enableNoiseSuppression },
      });
      pair.callee.on('audio', (frame) => received.push(frame));
      await pair.established;
      // Steady white noise: what a noise suppressor removes.
      let seed = 3;
      const noise = new Int16Array(48000 * 2);
      for (let i = 0; i < noise.length; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        noise[i] = Math.round((seed / 2 ** 31 - 0.5) * 8000);
      }
      expect(pair.caller.pushAudio(noise)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1900));
      await pair.stop();
      // Energy of the last second of noise received.
      const tail = received.slice(-110, -10);
      let sum = 0;
      let count = 0;
      for (const frame of tail) {
        for (const sample of frame) {
          sum += sample * sample;
          count++;
        }
      }
      return Math.sqrt(sum / Math.max(count, 1));
    };
    const untouched = await levels(false);
    const suppressed = await levels(true);
    expect(untouched).toBeGreaterThan(500);
    expect(suppressed).toBeLessThan(untouched / 2);
  }, 30_000);
});
