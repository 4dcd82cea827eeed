/**
 * Where `record` writes what the other side says: a WAV file natively (48 kHz mono, 16-bit),
 * any other format through ffmpeg, chosen by the file's extension.
 */
import * as path from 'node:path';

import type { NativeCallEngine } from '../engine/native-engine';
import type { EngineAudioOptions } from '../engine/types';
import { recordWithFfmpeg } from '../media/ffmpeg';

export interface RecordingTarget {
  readonly encoder: 'wav' | 'ffmpeg';
  /** The audio options the call is accepted with. */
  readonly audio: EngineAudioOptions;
  /** Starts recording from the call's engine (a no-op for WAV: the engine writes it). */
  attach(engine: NativeCallEngine): void;
  /** After the call: waits until the file is complete. */
  finish(): Promise<void>;
}

/** How long ffmpeg may take to write the rest of the file after the call. */
const encoderFinishMs = 10_000;

export function recordingTarget(file: string): RecordingTarget {
  if (path.extname(file).toLowerCase() === '.wav') {
    return {
      encoder: 'wav',
      audio: { outputWav: file },
      attach: () => undefined,
      finish: () => Promise.resolve(),
    };
  }
  let sink: ReturnType<typeof recordWithFfmpeg> | undefined;
  return {
    encoder: 'ffmpeg',
    audio: { deliverIncoming: true },
    attach: (engine) => {
      sink ??= recordWithFfmpeg(engine, file);
    },
    finish: async () => {
      if (sink === undefined) return;
      sink.stop();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        sink.finished,
        new Promise((resolve) => (timer = setTimeout(resolve, encoderFinishMs))),
      ]);
      clearTimeout(timer);
    },
  };
}
