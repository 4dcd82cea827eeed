/** 16-bit PCM WAV files in memory: for generated test signals and for analysing recordings. */

export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved samples. */
  samples: Int16Array;
}

export function encodeWav(audio: PcmAudio): Buffer {
  const dataBytes = audio.samples.length * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(audio.channels, 22);
  header.writeUInt32LE(audio.sampleRate, 24);
  header.writeUInt32LE(audio.sampleRate * audio.channels * 2, 28);
  header.writeUInt16LE(audio.channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  const data = Buffer.from(audio.samples.buffer, audio.samples.byteOffset, dataBytes);
  return Buffer.concat([header, data]);
}

/** Reads a 16-bit PCM WAV; throws a plain Error naming what is wrong. */
export function decodeWav(file: Buffer): PcmAudio {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (file.readUInt16LE(body) !== 1 || file.readUInt16LE(body + 14) !== 16) {
        throw new Error('only 16-bit PCM WAV is supported here');
      }
      channels = file.readUInt16LE(body + 2);
      sampleRate = file.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (sampleRate === 0) throw new Error('data chunk before fmt chunk');
      // A recording cut off mid-write may claim more than the file holds.
      const end = Math.min(file.length, body + size);
      const length = Math.floor((end - body) / 2);
      const samples = new Int16Array(length);
      for (let i = 0; i < length; i++) samples[i] = file.readInt16LE(body + 2 * i);
      return { sampleRate, channels, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** A sine tone, 48 kHz mono by default, at `amplitude` of full scale. */
export function sineTone(
  frequencyHz: number,
  seconds: number,
  amplitude = 0.4,
  sampleRate = 48000,
): Int16Array {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(
      amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate),
    );
  }
  return samples;
}

/**
 * An exponential sine sweep from `fromHz` to `toHz` (48 kHz mono by default): equal time per
 * octave, so every part of the speech band gets a fair share of the signal.
 */
export function logChirp(
  fromHz: number,
  toHz: number,
  seconds: number,
  amplitude = 0.3,
  sampleRate = 48000,
): Int16Array {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  const logRatio = Math.log(toHz / fromHz);
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    const phase =
      ((2 * Math.PI * fromHz * seconds) / logRatio) * (Math.exp((t / seconds) * logRatio) - 1);
    samples[i] = Math.round(amplitude * 32767 * Math.sin(phase));
  }
  return samples;
}
