/**
 * Raw PCM in any common layout → 48 kHz mono int16, the engine's audio format. Streaming:
 * chunks may split samples and frames anywhere; the state carries over.
 */

export type PcmSampleFormat = 's16le' | 'f32le';

export interface PcmFormat {
  format: PcmSampleFormat;
  sampleRate: number;
  channels: number;
}

const engineRate = 48000;

export class PcmConverter {
  private readonly bytesPerSample: number;
  private readonly frameBytes: number;
  private readonly step: number;
  private carry = Buffer.alloc(0);
  private position = 0; // between `previous` and `next`, in source frames
  private previous = 0;
  private next = 0;
  private primed = false;

  constructor(private readonly input: PcmFormat) {
    if (!Number.isInteger(input.channels) || input.channels < 1 || input.channels > 32) {
      throw new RangeError('channels must be an integer from 1 to 32');
    }
    if (!(input.sampleRate >= 1000 && input.sampleRate <= 384000)) {
      throw new RangeError('sampleRate must be between 1000 and 384000');
    }
    this.bytesPerSample = input.format === 's16le' ? 2 : 4;
    this.frameBytes = this.bytesPerSample * input.channels;
    this.step = input.sampleRate / engineRate;
  }

  /** Converts one chunk; returns the 48 kHz mono samples it completes. */
  convert(chunk: Buffer): Int16Array {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const frames = Math.floor(data.length / this.frameBytes);
    this.carry = Buffer.from(data.subarray(frames * this.frameBytes));
    const out: number[] = [];
    for (let frame = 0; frame < frames; frame++) {
      const value = this.monoSample(data, frame * this.frameBytes);
      if (!this.primed) {
        this.primed = true;
        this.next = value;
        continue;
      }
      this.previous = this.next;
      this.next = value;
      // Emit every output sample that falls between previous and next.
      while (this.position < 1) {
        const sample = this.previous + (this.next - this.previous) * this.position;
        out.push(Math.max(-32768, Math.min(32767, Math.round(sample * 32768))));
        this.position += this.step;
      }
      this.position -= 1;
    }
    return Int16Array.from(out);
  }

  private monoSample(data: Buffer, offset: number): number {
    let sum = 0;
    for (let channel = 0; channel < this.input.channels; channel++) {
      const at = offset + channel * this.bytesPerSample;
      const value =
        this.input.format === 's16le' ? data.readInt16LE(at) / 32768 : data.readFloatLE(at);
      sum += Number.isFinite(value) ? value : 0;
    }
    return sum / this.input.channels;
  }
}
