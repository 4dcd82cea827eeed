/**
 * Anything ffmpeg can read (files, URLs, devices; Ogg/Opus, MP3, video files…) as a call's audio,
 * and anything it can write as a recording. Uses Debian's ffmpeg, spawned; node-tgcalls itself
 * does not link it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

import type { NativeCallEngine } from '../engine/native-engine';
import {
  ffmpegBinary,
  handled,
  inputFailure,
  outputFailure,
  terminate,
  watchFfmpeg,
} from './ffmpeg-process';
import {
  receiveToStream,
  sendPcmStream,
  type StreamSinkHandle,
  type StreamSourceHandle,
} from './streams';

/**
 * Decodes `input` with ffmpeg and sends it into the call, paced by the engine. `done` resolves
 * when all of it was queued (or on stop()), and rejects with a TgCallsError when ffmpeg is
 * missing or cannot read the input (MEDIA_FFMPEG_MISSING, MEDIA_FILE_NOT_FOUND,
 * MEDIA_FILE_INVALID, MEDIA_FFMPEG_FAILED).
 */
export function sendWithFfmpeg(
  engine: NativeCallEngine,
  input: string,
  options: { loop?: boolean; ffmpegPath?: string } = {},
): StreamSourceHandle & { process: ChildProcessByStdio<null, Readable, Readable> } {
  const binary = ffmpegBinary(options.ffmpegPath);
  const child = spawn(
    binary,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      ...(options.loop === true ? ['-stream_loop', '-1'] : []),
      '-i',
      input,
      '-vn',
      '-f',
      's16le',
      '-ac',
      '1',
      '-ar',
      '48000',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = watchFfmpeg(child);
  let decodedAny = false;
  child.stdout.once('data', () => {
    decodedAny = true;
  });
  let stopped = false;
  const source = sendPcmStream(engine, child.stdout);
  const done = handled(
    (async () => {
      const exit = await exited;
      const failed = exit.spawnError !== undefined || (exit.code !== 0 && !stopped);
      if (failed) throw inputFailure(binary, input, exit, decodedAny, 'audio');
      await source.done;
    })(),
  );
  return {
    process: child,
    done,
    stop: () => {
      stopped = true;
      source.stop();
      void terminate(child, exited);
    },
  };
}

/**
 * Records what the call receives with ffmpeg into `output` (format from its extension; the
 * engine must deliver incoming audio). `finished` resolves with ffmpeg's exit code once the
 * file is complete after stop(), and rejects with a TgCallsError when ffmpeg is missing or
 * cannot write the file.
 */
export function recordWithFfmpeg(
  engine: NativeCallEngine,
  output: string,
  options: { ffmpegPath?: string } = {},
): StreamSinkHandle & {
  process: ChildProcessByStdio<Writable, null, Readable>;
  finished: Promise<number | null>;
} {
  const binary = ffmpegBinary(options.ffmpegPath);
  const child = spawn(
    binary,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      's16le',
      '-ar',
      '48000',
      '-ac',
      '1',
      '-i',
      'pipe:0',
      output,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const exited = watchFfmpeg(child);
  child.stdin.on('error', () => undefined); // ffmpeg gone: frames are dropped, not thrown
  const finished = handled(
    (async () => {
      const exit = await exited;
      if (exit.spawnError !== undefined || exit.code !== 0)
        throw outputFailure(binary, output, exit);
      return exit.code;
    })(),
  );
  const sink = receiveToStream(engine, child.stdin);
  return {
    process: child,
    finished,
    get droppedFrames() {
      return sink.droppedFrames;
    },
    stop: () => {
      sink.stop();
      child.stdin.end();
    },
  };
}
