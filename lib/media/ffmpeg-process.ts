/**
 * What the ffmpeg video helpers share: which binary to run, how its exit is observed, and how
 * a failure becomes a TgCallsError with a code a program can act on.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

import { TgCallsError } from '../errors';

/** The ffmpeg to run: an explicit path, else $NODE_TGCALLS_FFMPEG, else `ffmpeg` on PATH. */
export function ffmpegBinary(explicit?: string): string {
  return explicit ?? process.env.NODE_TGCALLS_FFMPEG ?? 'ffmpeg';
}

/** How an ffmpeg process ended. */
export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError?: Error;
  /** The end of what ffmpeg wrote to stderr (its error lines). */
  stderr: string;
}

// ffmpeg's error is in its last lines; keeping only the tail bounds memory whatever it prints.
const stderrTailChars = 4096;

/**
 * Resolves once the process has exited and its pipes are closed ('close' also follows a
 * failed spawn, with the 'error' before it). Never rejects.
 */
export function watchFfmpeg(child: ChildProcess): Promise<FfmpegExit> {
  let stderr = '';
  let spawnError: Error | undefined;
  const stderrStream: Readable | null = child.stderr;
  if (stderrStream !== null) {
    stderrStream.setEncoding('utf8');
    stderrStream.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrTailChars);
    });
  }
  child.once('error', (error) => {
    spawnError = error;
  });
  return new Promise((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      resolve({
        code: spawnError === undefined ? code : null,
        signal,
        ...(spawnError === undefined ? {} : { spawnError }),
        stderr,
      });
    });
  });
}

/** The last non-empty line ffmpeg printed, for messages. */
function lastLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('To ignore this'));
  return lines[lines.length - 1] ?? 'no message';
}

function exitDescription(exit: FfmpegExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}

export function ffmpegMissing(binary: string, error: Error): TgCallsError {
  return new TgCallsError(
    'MEDIA_FFMPEG_MISSING',
    `ffmpeg could not be started (${binary}: ${error.message}); install it (apt-get install ffmpeg) or set NODE_TGCALLS_FFMPEG`,
    { cause: error },
  );
}

/**
 * The error for a decoding ffmpeg that failed. Before its first frame the input is to blame
 * (missing, not media, no video stream); after it, ffmpeg itself failed part way.
 */
export function inputFailure(
  binary: string,
  input: string,
  exit: FfmpegExit,
  producedFrames: boolean,
  media: 'audio' | 'video' = 'video',
): TgCallsError {
  if (exit.spawnError !== undefined) return ffmpegMissing(binary, exit.spawnError);
  const line = lastLine(exit.stderr);
  if (producedFrames) {
    return new TgCallsError(
      'MEDIA_FFMPEG_FAILED',
      `ffmpeg stopped decoding ${input} (${exitDescription(exit)}): ${line}`,
    );
  }
  if (/No such file or directory|404 Not Found/i.test(exit.stderr)) {
    return new TgCallsError('MEDIA_FILE_NOT_FOUND', `${input} was not found: ${line}`);
  }
  if (/matches no streams/i.test(exit.stderr)) {
    return new TgCallsError('MEDIA_FILE_INVALID', `${input} has no ${media} stream`);
  }
  return new TgCallsError(
    'MEDIA_FILE_INVALID',
    `ffmpeg could not read ${media} from ${input} (${exitDescription(exit)}): ${line}`,
  );
}

/** The error for an encoding ffmpeg that failed: the output could not be written, or ffmpeg broke. */
export function outputFailure(binary: string, output: string, exit: FfmpegExit): TgCallsError {
  if (exit.spawnError !== undefined) return ffmpegMissing(binary, exit.spawnError);
  const line = lastLine(exit.stderr);
  if (
    /No such file or directory|Permission denied|Read-only file system|suitable output format|No space left/i.test(
      exit.stderr,
    )
  ) {
    return new TgCallsError('MEDIA_FILE_UNWRITABLE', `ffmpeg could not write ${output}: ${line}`);
  }
  return new TgCallsError(
    'MEDIA_FFMPEG_FAILED',
    `ffmpeg failed recording ${output} (${exitDescription(exit)}): ${line}`,
  );
}

/**
 * Ends an ffmpeg that is no longer wanted: SIGTERM (it finishes what it writes), SIGKILL if
 * it is still there after `graceMs` (e.g. blocked on a full pipe). Resolves with its exit.
 */
export async function terminate(
  child: ChildProcess,
  exited: Promise<FfmpegExit>,
  graceMs = 2000,
): Promise<FfmpegExit> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(killTimer);
  }
}

/** Keeps a promise's rejection for whoever awaits it, without an unhandled rejection otherwise. */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
