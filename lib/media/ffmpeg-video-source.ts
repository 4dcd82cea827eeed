/**
 * Any video ffmpeg can read (a file, a URL, a device) sent into a call: ffmpeg decodes and
 * scales it to raw I420 at the chosen size and frame rate; frames are pushed at that rate on
 * a monotonic-clock schedule, reading ffmpeg's output only a couple of frames ahead.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';

import { outOfRange } from '../calls/argument-errors';
import type { NativeCallEngine } from '../engine/native-engine';
import { TgCallsError } from '../errors';
import { ffmpegBinary, handled, inputFailure, terminate, watchFfmpeg } from './ffmpeg-process';
import { i420ByteLength } from './i420';

export interface FfmpegVideoSourceOptions {
  /** Width of the frames sent, 2..4096 (default 640). The picture keeps its aspect ratio, padded with black. */
  width?: number;
  /** Height of the frames sent, 2..4096 (default 480). */
  height?: number;
  /** Frames per second sent, 1..60 (default 30); ffmpeg repeats or drops frames to match. */
  fps?: number;
  /** Start again at the end of the input (files only), until stop(). */
  loop?: boolean;
  /** ffmpeg options placed before `-i`, e.g. `['-f', 'v4l2']` for a camera. */
  inputArgs?: string[];
  /** The ffmpeg binary (default $NODE_TGCALLS_FFMPEG, else `ffmpeg` on PATH). */
  ffmpegPath?: string;
}

export interface VideoSourceSummary {
  /** 'ended': the input ended and every frame was pushed; 'stopped': stop() was called. */
  reason: 'ended' | 'stopped';
  /** Frames the engine took. */
  framesSent: number;
  /** Frames the engine refused (the call had ended). */
  framesRefused: number;
  /** Times the schedule restarted because frames came late (slow input or a blocked event loop). */
  scheduleRestarts: number;
}

export interface FfmpegVideoSource {
  /**
   * Settles when the input has ended and its last frame was pushed, or at stop(). Rejects with
   * a TgCallsError: MEDIA_FILE_NOT_FOUND, MEDIA_FILE_INVALID (not media, no video stream),
   * MEDIA_FFMPEG_MISSING, MEDIA_FFMPEG_FAILED. A rejection nobody awaits is not unhandled.
   */
  readonly done: Promise<VideoSourceSummary>;
  readonly framesSent: number;
  /** Frames read from ffmpeg so far: at most a few ahead of framesSent (the rest waits in ffmpeg). */
  readonly framesDecoded: number;
  /** Stops sending and ends ffmpeg; resolves once it has exited. */
  stop(): Promise<void>;
  readonly process: ChildProcessByStdio<null, Readable, Readable>;
}

// Above this many decoded frames waiting, ffmpeg's output is paused until one is sent.
const maxQueuedFrames = 2;
// A frame later than this many frame intervals restarts the schedule instead of bursting to catch up.
const maxLateIntervals = 2;

function checkedInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Cuts a byte stream into frames of a fixed size, whatever its chunk boundaries. */
class FrameAssembler {
  private frame: Buffer;
  private filled = 0;

  constructor(private readonly frameBytes: number) {
    this.frame = Buffer.allocUnsafe(frameBytes);
  }

  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      const copied = chunk.copy(this.frame, this.filled, offset);
      offset += copied;
      this.filled += copied;
      if (this.filled === this.frameBytes) {
        onFrame(this.frame);
        this.frame = Buffer.allocUnsafe(this.frameBytes);
        this.filled = 0;
      }
    }
  }
}

/** Decodes `input` with ffmpeg and sends it as the call's video (engine created with `video: true`). */
export function sendVideoWithFfmpeg(
  engine: NativeCallEngine,
  input: string,
  options: FfmpegVideoSourceOptions = {},
): FfmpegVideoSource {
  const width = checkedInteger('width', options.width ?? 640, 2, 4096);
  const height = checkedInteger('height', options.height ?? 480, 2, 4096);
  const fps = checkedInteger('fps', options.fps ?? 30, 1, 60);
  const binary = ffmpegBinary(options.ffmpegPath);
  const filters = [
    `fps=${fps}`,
    `scale=${width}:${height}:force_original_aspect_ratio=decrease:force_divisible_by=2`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
    'setsar=1',
    'format=yuv420p',
  ];
  const child = spawn(
    binary,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      ...(options.loop === true ? ['-stream_loop', '-1'] : []),
      ...(options.inputArgs ?? []),
      '-i',
      input,
      '-map',
      '0:v:0',
      '-vf',
      filters.join(','),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = watchFfmpeg(child);

  const queue: Buffer[] = [];
  const assembler = new FrameAssembler(i420ByteLength(width, height));
  const intervalMs = 1000 / fps;
  let scheduleStart: number | undefined;
  let scheduledFrames = 0;
  let timer: NodeJS.Timeout | undefined;
  let framesDecoded = 0;
  let framesSent = 0;
  let framesRefused = 0;
  let scheduleRestarts = 0;
  let stopped = false;
  let settled = false;
  let inputClosed = false;
  let exit: Awaited<typeof exited> | undefined;

  let resolveDone: (summary: VideoSourceSummary) => void = () => undefined;
  let rejectDone: (error: TgCallsError) => void = () => undefined;
  const done = handled(
    new Promise<VideoSourceSummary>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    }),
  );
  const summary = (reason: VideoSourceSummary['reason']): VideoSourceSummary => ({
    reason,
    framesSent,
    framesRefused,
    scheduleRestarts,
  });

  const settleIfFinished = (): void => {
    if (settled || stopped || !inputClosed || queue.length > 0 || exit === undefined) return;
    settled = true;
    if (exit.code === 0) resolveDone(summary('ended'));
    else rejectDone(inputFailure(binary, input, exit, framesDecoded > 0));
  };

  const sendNext = (): void => {
    timer = undefined;
    const frame = queue.shift();
    if (stopped || frame === undefined) return;
    if (engine.pushVideoFrame(width, height, frame)) framesSent++;
    else framesRefused++;
    scheduledFrames++;
    if (child.stdout.isPaused() && queue.length < maxQueuedFrames) child.stdout.resume();
    scheduleNext();
  };

  const scheduleNext = (): void => {
    if (stopped || timer !== undefined) return;
    if (queue.length === 0) {
      settleIfFinished();
      return; // the next decoded frame schedules itself
    }
    const now = performance.now();
    scheduleStart ??= now;
    // Each frame is due at a fixed offset from the start, so timer lateness does not add up.
    let delay = scheduleStart + scheduledFrames * intervalMs - now;
    if (delay < -maxLateIntervals * intervalMs) {
      // Frames came late (input slower than real time, or the event loop was blocked):
      // carry on at the frame rate from now rather than sending a burst.
      scheduleStart = now - scheduledFrames * intervalMs;
      scheduleRestarts++;
      delay = 0;
    }
    timer = setTimeout(sendNext, Math.max(0, delay));
  };

  child.stdout.on('data', (chunk: Buffer) => {
    if (stopped) return;
    assembler.push(chunk, (frame) => {
      framesDecoded++;
      queue.push(frame);
    });
    if (queue.length > maxQueuedFrames) child.stdout.pause();
    scheduleNext();
  });
  child.stdout.once('end', () => {
    inputClosed = true; // a partial frame at the very end is dropped
    scheduleNext();
  });
  child.stdout.once('error', () => {
    inputClosed = true;
  });
  void exited.then((result) => {
    exit = result;
    inputClosed = true;
    scheduleNext();
    settleIfFinished();
  });

  return {
    done,
    get framesSent() {
      return framesSent;
    },
    get framesDecoded() {
      return framesDecoded;
    },
    process: child,
    stop: async () => {
      if (!stopped) {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        queue.length = 0;
        // Closing our end of the pipe unblocks an ffmpeg waiting on a full pipe (EPIPE).
        child.stdout.destroy();
      }
      await terminate(child, exited);
      if (!settled) {
        settled = true;
        resolveDone(summary('stopped'));
      }
    },
  };
}
