/**
 * Node streams in and out of a call. The engine paces audio natively; these only move data,
 * with backpressure in and bounded memory out.
 */
import type { Readable, Writable } from 'node:stream';

import type { NativeCallEngine } from '../engine/native-engine';
import { PcmConverter, type PcmFormat } from './pcm-converter';

export interface StreamSourceHandle {
  /** Resolves when the stream has ended and everything it gave was queued (or on stop()). */
  done: Promise<void>;
  stop(): void;
}

const retryMs = 10;
const pushSamples = 960; // 20 ms: a chunk the engine's queue can take piece by piece

/**
 * Sends a Readable of raw PCM (s16le or f32le, any rate and channel count) into the call.
 * The stream is paused while the engine's queue is full, so a file or a network stream is
 * read only as fast as the call plays it.
 */
export function sendPcmStream(
  engine: NativeCallEngine,
  stream: Readable,
  format: PcmFormat = { format: 's16le', sampleRate: 48000, channels: 1 },
): StreamSourceHandle {
  const converter = new PcmConverter(format);
  let pending: Int16Array | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let ended = false;

  const flush = (): void => {
    timer = undefined;
    if (stopped) return;
    while (pending !== undefined && pending.length > 0) {
      const piece = pending.subarray(0, pushSamples);
      if (!engine.pushAudio(piece)) {
        // The queue is full: try again once the native clock has drained some of it.
        timer = setTimeout(flush, retryMs);
        return;
      }
      pending = pending.subarray(piece.length);
    }
    pending = undefined;
    if (ended) finish();
    else stream.resume();
  };

  stream.on('data', (chunk: Buffer) => {
    const samples = converter.convert(chunk);
    pending = pending === undefined ? samples : concat(pending, samples);
    stream.pause();
    if (timer === undefined) flush();
  });
  stream.once('end', () => {
    ended = true;
    if (timer === undefined && pending === undefined) finish();
  });
  stream.once('error', () => {
    ended = true;
    finish();
  });
  return {
    done,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      stream.destroy();
      finish();
    },
  };
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  const joined = new Int16Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

export interface StreamSinkHandle {
  /** 10 ms frames dropped because the Writable was not keeping up. */
  readonly droppedFrames: number;
  stop(): void;
}

/**
 * Writes received audio (48 kHz mono s16le) to a Writable. The engine must deliver incoming
 * audio (`audio.deliverIncoming`). While the Writable reports backpressure, frames are dropped
 * and counted instead of buffered: memory stays bounded however slow the consumer is.
 */
export function receiveToStream(engine: NativeCallEngine, writable: Writable): StreamSinkHandle {
  let waitingForDrain = false;
  let dropped = 0;
  const onFrame = (samples: Int16Array): void => {
    if (waitingForDrain) {
      dropped++;
      return;
    }
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    if (!writable.write(bytes)) {
      waitingForDrain = true;
      writable.once('drain', () => {
        waitingForDrain = false;
      });
    }
  };
  engine.on('audio', onFrame);
  return {
    get droppedFrames() {
      return dropped;
    },
    stop: () => {
      engine.off('audio', onFrame);
    },
  };
}
