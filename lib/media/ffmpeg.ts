/**
 * Anything ffmpeg can read (files, URLs, devices; Ogg/Opus, MP3, video files…) as a call's audio,
 * and anything it can write as a recording. Uses Debian's ffmpeg, spawned; node-tgcalls itself
 * does not link it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

import { TgCallsError } from '../errors';
import type { NativeCallEngine } from '../engine/native-engine';
import {
  receiveToStream,
  sendPcmStream,
  type StreamSinkHandle,
  type StreamSourceHandle,
} from './streams';

const ffmpegBinary = process.env.NODE_TGCALLS_FFMPEG ?? 'ffmpeg';

function failOnSpawnError(child: {
  once(event: 'error', listener: (error: Error) => void): unknown;
}): void {
  child.once('error', (error) => {
    // Surfaced through the stream ending; the message tells what to install.
    process.emitWarning(
      new TgCallsError(
        'MEDIA_FILE_INVALID',
        `ffmpeg could not be started (apt-get install ffmpeg): ${error.message}`,
      ),
    );
  });
}

/** Decodes `input` with ffmpeg and sends it into the call, paced by the engine. */
export function sendWithFfmpeg(
  engine: NativeCallEngine,
  input: string,
  options: { loop?: boolean } = {},
): StreamSourceHandle & { process: ChildProcessByStdio<null, Readable, null> } {
  const child = spawn(
    ffmpegBinary,
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
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  failOnSpawnError(child);
  const handle = sendPcmStream(engine, child.stdout);
  return {
    process: child,
    done: handle.done,
    stop: () => {
      handle.stop();
      child.kill('SIGTERM');
    },
  };
}

/** Records what the call receives with ffmpeg into `output` (format from its extension). */
export function recordWithFfmpeg(
  engine: NativeCallEngine,
  output: string,
): StreamSinkHandle & {
  process: ChildProcessByStdio<Writable, null, null>;
  finished: Promise<number | null>;
} {
  const child = spawn(
    ffmpegBinary,
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
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  failOnSpawnError(child);
  child.stdin.on('error', () => undefined); // ffmpeg gone: frames are dropped, not thrown
  const finished = new Promise<number | null>((resolve) => child.once('exit', resolve));
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
