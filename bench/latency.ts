/**
 * Mouth-to-ear latency, in a fresh process: the caller sends clicks (5 ms of 2 kHz at full
 * scale, 400 and 410 ms apart in turn) in a stream of pushed silence; the callee records what
 * it receives; each click's delay is measured on the process's native 10 ms audio clock,
 * sample-exact:
 *
 * - mouth: the clock tick at which the caller's engine takes the click's frame from its input
 *   queue and hands it to WebRTC. We keep the queue fed (it never runs dry after the first
 *   push, checked), so the click's frame is frame number (underruns before the first push +
 *   frames pushed before the click) of the caller's outgoing stream: the queue depth we chose
 *   is accounted exactly, whatever it was.
 * - ear: the tick at which the callee's engine hands out the decoded frame holding the
 *   click's onset, plus the onset's position in that frame (48 samples per ms).
 * - both on one clock: reading the caller's framesSent and the callee's framesReceived
 *   together gives the offset between the two frame counts (checked constant over the run).
 *
 * So a click's delay = (ear tick − mouth tick) × 10 ms + onset position, i.e. everything
 * between a sound card handing the engine a frame and the engine handing a frame to a
 * sound card: encoding, packetization, SRTP, sockets, the path, the jitter buffer, decoding.
 *
 * Paths: direct (the loopback call's own P2P path) and relay-only through a local TURN server
 * (coturn) behind a UDP proxy that adds 0 or `--delay` ms one way (bench/delay-proxy.ts).
 * Baseline measured alongside: the median UDP round trip on 127.0.0.1 (common.ts).
 *
 *   node build/bench/bench/latency.js [--calls 3] [--clicks 8] [--delay 50]
 *     [--paths direct,relay,delayed]
 *
 * Each path runs --calls calls one after another (a jitter buffer settles once per call, on
 * what the machine does at that moment), each with --clicks clicks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { RtcServer } from '../lib/engine/types';
import { decodeWav } from '../lib/media/wav';
import { startPair } from '../test/support/engine-pair';
import { startTurnServer } from '../test/support/turn-server';
import {
  emitResult,
  median,
  numberArg,
  percentile,
  round,
  sleep,
  stringArg,
  udpRoundTripMs,
} from './common';
import { startDelayProxy } from './delay-proxy';

const frame = 480; // samples per 10 ms tick
// 400 or 410 ms between clicks, alternately, so that clicks fall in both halves of a 20 ms
// Opus packet: both are measured.
const clickSpacingFrames = 40;
const queueTargetFrames = 10; // keep ≥ 100 ms queued so the input never runs dry
const clickFrame = (() => {
  const samples = new Int16Array(frame);
  for (let i = 0; i < 240; i++)
    samples[i] = Math.round(32767 * Math.sin((2 * Math.PI * 2000 * i) / 48000));
  return samples;
})();
const silentFrame = new Int16Array(frame);

interface CallResult {
  delays: number[];
  clicks: number;
  stable: boolean;
  lateUnderruns: number;
  localCandidateType: string;
  /** The callee's inbound jitter (WebRTC's estimate) at the end of the call. */
  jitterMs: number;
}

interface PathResult {
  path: string;
  addedDelayMs: number;
  calls: number;
  /** Median of each call's clicks: the jitter buffer settles per call. */
  perCallMedianMs: number[];
  perCallJitterMs: number[];
  clicks: number;
  detected: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** The frame-count offset between the two sides was the same early and late in the run. */
  clockOffsetStable: boolean;
  /** Input underruns after the first push (must be 0 for exact accounting). */
  lateUnderruns: number;
  localCandidateType: string;
}

async function measureCall(
  name: string,
  clicks: number,
  rtcServers: RtcServer[],
  dir: string,
): Promise<CallResult> {
  const recording = path.join(dir, `${name}-callee-heard.wav`);
  const pair = startPair({
    version: '11.0.0',
    rtcServers,
    enableP2P: rtcServers.length === 0,
    callerAudio: { inputQueueMs: 1000 },
    calleeAudio: { outputWav: recording },
  });
  const { caller, callee } = pair;
  let stopped = false;
  try {
    await pair.established;
    await sleep(1000); // let the jitter buffer settle on silence

    // The offset between the callee's received-frame count and the caller's sent-frame count,
    // read on both sides between two clock ticks (retried when a tick falls in between).
    const offsets: number[] = [];
    const readOffset = (): void => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const sentBefore = caller.audioCounters().framesSent;
        const received = callee.audioCounters().framesReceived;
        const sentAfter = caller.audioCounters().framesSent;
        const receivedAfter = callee.audioCounters().framesReceived;
        if (sentBefore === sentAfter && received === receivedAfter) {
          offsets.push(sentBefore - received);
          return;
        }
      }
    };

    const clickFrames: number[] = []; // pushed-frame index of each click
    let pushed = 0;
    let nextClick = 20; // first click after 200 ms of pushed silence
    const feed = (): void => {
      const queued = Math.floor(caller.audioCounters().queuedInputSamples / frame);
      for (let i = queued; i < queueTargetFrames * 2; i++) {
        const isClick = pushed === nextClick && clickFrames.length < clicks;
        if (!caller.pushAudio(isClick ? clickFrame : silentFrame)) break;
        if (isClick) {
          clickFrames.push(pushed);
          nextClick += clickSpacingFrames + (clickFrames.length % 2);
        }
        pushed++;
      }
    };
    feed();
    await sleep(50);
    const underrunsAfterFirstPush = caller.audioCounters().inputUnderruns;
    const timer = setInterval(() => {
      feed();
      readOffset();
    }, 20);
    const durationMs = (20 + clicks * (clickSpacingFrames + 1)) * 10 + 600;
    await sleep(durationMs);
    clearInterval(timer);
    const finalCounters = caller.audioCounters();
    const stats = await caller.getStats();
    const calleeStats = await callee.getStats();
    await pair.stop();
    stopped = true;

    // All frames before the first pushed one were underruns, none after (checked).
    const firstPushedFrame = underrunsAfterFirstPush;
    const lateUnderruns = finalCounters.inputUnderruns - underrunsAfterFirstPush;
    // A reading taken between a tick's sending and its playout part counts one frame too many;
    // readings between two ticks give the true (smallest) offset. Same in both halves: no drift.
    const half = Math.floor(offsets.length / 2);
    const offset = Math.min(...offsets);
    const stable = Math.min(...offsets.slice(0, half)) === Math.min(...offsets.slice(half));

    const heard = decodeWav(fs.readFileSync(recording)).samples;
    const delays: number[] = [];
    for (const pushedIndex of clickFrames) {
      const sentFrame = firstPushedFrame + pushedIndex;
      // The callee's frame delivered on the tick the click was sent: nothing earlier can hold it.
      const start = Math.max(0, (sentFrame - offset) * frame);
      const end = Math.min(heard.length, start + (clickSpacingFrames - 2) * frame);
      let peak = 0;
      for (let i = start; i < end; i++) peak = Math.max(peak, Math.abs(heard[i] ?? 0));
      if (peak < 3000) continue; // lost
      let onset = start;
      while (onset < end && Math.abs(heard[onset] ?? 0) < peak * 0.2) onset++;
      const receivedFrame = Math.floor(onset / frame);
      const ticks = receivedFrame + offset - sentFrame;
      delays.push(ticks * 10 + (onset % frame) / 48);
    }
    return {
      delays,
      clicks: clickFrames.length,
      stable,
      lateUnderruns,
      localCandidateType: stats.localCandidateType,
      jitterMs: calleeStats.jitterMs,
    };
  } finally {
    if (!stopped) await pair.stop();
  }
}

/** `calls` calls one after another on one path; every click of every call counts. */
async function measurePath(
  name: string,
  calls: number,
  clicks: number,
  rtcServers: RtcServer[],
  addedDelayMs: number,
  dir: string,
): Promise<PathResult> {
  const results: CallResult[] = [];
  for (let i = 0; i < calls; i++) results.push(await measureCall(name, clicks, rtcServers, dir));
  const delays = results.flatMap((r) => r.delays);
  return {
    path: name,
    addedDelayMs,
    calls,
    perCallMedianMs: results.map((r) => round(median(r.delays), 1)),
    perCallJitterMs: results.map((r) => r.jitterMs),
    clicks: results.reduce((sum, r) => sum + r.clicks, 0),
    detected: delays.length,
    medianMs: round(median(delays), 1),
    p95Ms: round(percentile(delays, 95), 1),
    minMs: round(Math.min(...delays), 1),
    maxMs: round(Math.max(...delays), 1),
    clockOffsetStable: results.every((r) => r.stable),
    lateUnderruns: results.reduce((sum, r) => sum + r.lateUnderruns, 0),
    localCandidateType: results[0]?.localCandidateType ?? '',
  };
}

async function main(): Promise<void> {
  const calls = numberArg('calls', 3);
  const clicks = numberArg('clicks', 8);
  const delayMs = numberArg('delay', 50);
  const paths = stringArg('paths', 'direct,relay,delayed').split(',');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-bench-latency-'));
  const results: PathResult[] = [];
  const baseline: number[] = [];
  try {
    baseline.push(await udpRoundTripMs(20));
    if (paths.includes('direct'))
      results.push(await measurePath('direct', calls, clicks, [], 0, dir));
    const relayed = paths.filter((p) => p === 'relay' || p === 'delayed');
    if (relayed.length) {
      const turn = await startTurnServer();
      try {
        for (const name of relayed) {
          const added = name === 'delayed' ? delayMs : 0;
          const proxy = await startDelayProxy(turn.host, turn.port, added);
          try {
            const server: RtcServer = {
              host: '127.0.0.1',
              port: proxy.port,
              login: turn.username,
              password: turn.password,
              isTurn: true,
              isTcp: false,
            };
            results.push(await measurePath(name, calls, clicks, [server], added, dir));
          } finally {
            await proxy.close();
          }
          baseline.push(await udpRoundTripMs(20));
        }
      } finally {
        await turn.stop();
      }
    }
    baseline.push(await udpRoundTripMs(20));
    emitResult({ kind: 'latency', paths: results, udpRttMs: round(median(baseline), 3) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
