/**
 * Plays a file into a running call: WAV natively (the engine reads and resamples it), anything
 * else — and WAV encodings the engine does not read — decoded by ffmpeg.
 */
import * as path from 'node:path';

import type { NativeCallEngine } from '../engine/native-engine';
import { sendWithFfmpeg } from '../media/ffmpeg';

export interface Playback {
  readonly decoder: 'wav' | 'ffmpeg';
  /** Resolves when the whole file has been sent (never with loop); `error` if it could not be. */
  readonly finished: Promise<{ error?: string }>;
  stop(): void;
}

const drainPollMs = 50;

function playWav(engine: NativeCallEngine, file: string, loop: boolean): Playback {
  let onDrained: () => void = () => undefined;
  const finished = new Promise<{ error?: string }>((resolve) => {
    onDrained = () => {
      resolve({});
    };
  });
  // Registered before the file starts, so that even a very short file's end is seen.
  engine.once('inputDrained', onDrained);
  try {
    engine.useWavInput(file, { loop });
  } catch (error) {
    engine.off('inputDrained', onDrained);
    throw error;
  }
  return {
    decoder: 'wav',
    finished,
    stop: () => {
      engine.usePushedInput();
    },
  };
}

function playWithFfmpeg(engine: NativeCallEngine, file: string, loop: boolean): Playback {
  engine.usePushedInput();
  const source = sendWithFfmpeg(engine, file, { loop });
  // An object, so that the checks below see stop() from the closure.
  const state = { stopped: false };
  const exit = new Promise<number | null>((resolve) => {
    source.process.once('exit', (code) => {
      resolve(code);
    });
    source.process.once('error', () => {
      resolve(null);
    });
  });
  const finished = (async () => {
    await source.done;
    const code = await exit;
    if (code !== 0 && !state.stopped) return { error: `ffmpeg could not decode ${file}` };
    // Everything is queued; the file has been played once the engine's queue is empty.
    while (!state.stopped && engine.audioCounters().queuedInputSamples > 0)
      await new Promise((resolve) => setTimeout(resolve, drainPollMs));
    return {};
  })();
  return {
    decoder: 'ffmpeg',
    finished,
    stop: () => {
      state.stopped = true;
      source.stop();
    },
  };
}

/** Starts playing `file` from its beginning into the call. */
export function startPlayback(engine: NativeCallEngine, file: string, loop: boolean): Playback {
  if (path.extname(file).toLowerCase() === '.wav') {
    try {
      return playWav(engine, file, loop);
    } catch (error) {
      // e.g. an ADPCM or µ-law WAV: ffmpeg decodes what the engine's reader does not.
      if ((error as { code?: unknown }).code !== 'MEDIA_FILE_INVALID') throw error;
    }
  }
  return playWithFfmpeg(engine, file, loop);
}
