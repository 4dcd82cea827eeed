/**
 * The video a call receives, recorded with ffmpeg into anything it can write (.mkv, .mp4,
 * .webm…, chosen by the extension). Frames go to ffmpeg's stdin as raw I420 at a constant
 * frame rate, placed by their timestamps; memory stays bounded however slow ffmpeg is.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';

import { outOfRange } from '../calls/argument-errors';
import type { NativeCallEngine, VideoFrame } from '../engine/native-engine';
import type { TgCallsError } from '../errors';
import {
  ffmpegBinary,
  handled,
  outputFailure,
  terminate,
  watchFfmpeg,
  type FfmpegExit,
} from './ffmpeg-process';
import { i420ByteLength, scaleI420 } from './i420';

export interface FfmpegVideoSinkOptions {
  /** Frame rate of the recording, 1..60 (default 30). */
  fps?: number;
  /**
   * ffmpeg output options before the file name, replacing the defaults (H.264 "veryfast" for
   * .mp4/.mkv/.mov, VP8 realtime for .webm, ffmpeg's own choice otherwise).
   */
  outputArgs?: string[];
  /** The ffmpeg binary (default $NODE_TGCALLS_FFMPEG, else `ffmpeg` on PATH). */
  ffmpegPath?: string;
}

export interface VideoRecordingSummary {
  /** Size of the recording: the first received frame's; undefined when none came (no file). */
  width: number | undefined;
  height: number | undefined;
  framesReceived: number;
  /** Received frames given to ffmpeg. */
  framesWritten: number;
  /** Copies of the previous frame written to fill time in which no frame came. */
  framesRepeated: number;
  /** Frames dropped because ffmpeg had not taken the previous ones yet (backpressure). */
  framesDropped: number;
  /** Frames dropped because they came faster than the recording's frame rate. */
  framesSkipped: number;
  /** Frames of another size than the first, scaled into it. */
  framesScaled: number;
}

export interface FfmpegVideoRecording {
  /**
   * Settles once ffmpeg has exited: after stop(), or when it fails. Rejects with a
   * TgCallsError: MEDIA_FILE_UNWRITABLE, MEDIA_FFMPEG_MISSING, MEDIA_FFMPEG_FAILED. A
   * rejection nobody awaits is not unhandled.
   */
  readonly done: Promise<VideoRecordingSummary>;
  /** The counts so far. */
  summary(): VideoRecordingSummary;
  /** Stops recording, lets ffmpeg finish the file and resolves (or rejects) as `done`. */
  stop(): Promise<VideoRecordingSummary>;
  /** The ffmpeg process, once the first frame has started it. */
  readonly process: ChildProcessByStdio<Writable, null, Readable> | undefined;
}

// A longer pause in the received video (camera off) is shortened to this in the file, so
// that filling it with repeated frames never floods ffmpeg.
const maxFreezeSeconds = 5;
// ffmpeg gets this long to finish the file after its input is closed.
const finishTimeoutMs = 20_000;
// What may wait in Node's pipe buffer for ffmpeg, which takes a moment to start (longer on a
// busy machine) and can stall briefly; beyond that, received frames are dropped and counted.
const maxBufferedBytes = 16 << 20;
const minBufferedFrames = 8;

const fastEncoders: Record<string, string[]> = {
  '.mp4': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
  '.mkv': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
  '.mov': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
  '.webm': ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M'],
};

/**
 * Records the video `engine` receives (created with `deliverVideoFrames: true`) into
 * `output`. ffmpeg starts with the first frame, at that frame's size.
 */
export function recordVideoWithFfmpeg(
  engine: NativeCallEngine,
  output: string,
  options: FfmpegVideoSinkOptions = {},
): FfmpegVideoRecording {
  const fps = options.fps ?? 30;
  if (!Number.isInteger(fps) || fps < 1 || fps > 60) {
    throw outOfRange(`fps must be an integer from 1 to 60, got ${String(fps)}`);
  }
  const binary = ffmpegBinary(options.ffmpegPath);
  const encoderArgs = options.outputArgs ?? fastEncoders[path.extname(output).toLowerCase()] ?? [];
  const intervalUs = 1_000_000 / fps;

  let child: ChildProcessByStdio<Writable, null, Readable> | undefined;
  let exited: Promise<FfmpegExit> | undefined;
  let recording = true;
  let width: number | undefined;
  let height: number | undefined;
  let firstTimestampUs: number | undefined;
  let nextSlot = 0;
  let lastWritten: Uint8Array | undefined;
  const counts = {
    framesReceived: 0,
    framesWritten: 0,
    framesRepeated: 0,
    framesDropped: 0,
    framesSkipped: 0,
    framesScaled: 0,
  };
  const summary = (): VideoRecordingSummary => ({ width, height, ...counts });

  let resolveDone: (summary: VideoRecordingSummary) => void = () => undefined;
  let rejectDone: (error: TgCallsError) => void = () => undefined;
  const done = handled(
    new Promise<VideoRecordingSummary>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    }),
  );

  const settle = (exit: FfmpegExit): void => {
    if (exit.code === 0) resolveDone(summary());
    else rejectDone(outputFailure(binary, output, exit));
  };

  const startFfmpeg = (frameWidth: number, frameHeight: number): void => {
    width = frameWidth;
    height = frameHeight;
    const ffmpeg = spawn(
      binary,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'yuv420p',
        '-video_size',
        `${frameWidth}x${frameHeight}`,
        '-framerate',
        String(fps),
        '-i',
        'pipe:0',
        ...encoderArgs,
        output,
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    ffmpeg.stdin.on('error', () => undefined); // ffmpeg gone: its exit tells why
    child = ffmpeg;
    exited = watchFfmpeg(ffmpeg);
    void exited.then((exit) => {
      if (!recording) return; // stop() settles
      // ffmpeg ended by itself (it could not open the output, or failed part way).
      recording = false;
      engine.off('videoFrame', onFrame);
      settle(exit);
    });
  };

  const onFrame = (frame: VideoFrame): void => {
    if (!recording) return;
    counts.framesReceived++;
    if (child === undefined) startFfmpeg(frame.width, frame.height);
    if (child === undefined || width === undefined || height === undefined) return;
    // Node's buffer is the backpressure signal: bounded, then drop (never an unbounded queue).
    const bufferLimit = Math.max(
      maxBufferedBytes,
      minBufferedFrames * i420ByteLength(width, height),
    );
    if (child.stdin.writableLength >= bufferLimit) {
      counts.framesDropped++;
      return;
    }
    const timestampUs = frame.timestampUs > 0 ? frame.timestampUs : performance.now() * 1000;
    firstTimestampUs ??= timestampUs;
    let slot = Math.round((timestampUs - firstTimestampUs) / intervalUs);
    if (slot < nextSlot) {
      counts.framesSkipped++;
      return;
    }
    if (slot - nextSlot > maxFreezeSeconds * fps) {
      // Shorten a long pause: move the time origin so this frame lands right after the cap.
      const shift = slot - nextSlot - maxFreezeSeconds * fps;
      firstTimestampUs += shift * intervalUs;
      slot -= shift;
    }
    let picture: Uint8Array = frame.data;
    if (frame.width !== width || frame.height !== height) {
      picture = scaleI420(frame.data, frame.width, frame.height, width, height);
      counts.framesScaled++;
    }
    // Repeat the last picture for the slots no frame came for: the file keeps real time.
    if (lastWritten !== undefined) {
      for (; nextSlot < slot; nextSlot++) {
        child.stdin.write(lastWritten);
        counts.framesRepeated++;
      }
    }
    child.stdin.write(picture);
    counts.framesWritten++;
    lastWritten = picture;
    nextSlot = slot + 1;
  };
  engine.on('videoFrame', onFrame);

  return {
    done,
    summary,
    get process() {
      return child;
    },
    stop: async () => {
      if (recording) {
        recording = false;
        engine.off('videoFrame', onFrame);
        if (child === undefined || exited === undefined) {
          resolveDone(summary()); // no frame came: no ffmpeg, no file
        } else {
          // Closing stdin lets ffmpeg encode what it has and write the file's trailer.
          child.stdin.end();
          const timeout = setTimeout(() => {
            if (child !== undefined && exited !== undefined) void terminate(child, exited);
          }, finishTimeoutMs);
          settle(await exited);
          clearTimeout(timeout);
        }
      }
      return done;
    },
  };
}
