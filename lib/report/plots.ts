/** The call report's plots, drawn as PNG images. */
import { powerSpectrum } from '../media/analysis';
import { Raster, type Rgb } from './raster';

const axis: Rgb = [160, 160, 160];

/** Min/max envelope of 16-bit audio per pixel column. */
export function waveformPng(
  samples: Int16Array,
  width = 900,
  height = 160,
  color: Rgb = [32, 96, 192],
): Buffer {
  const raster = new Raster(width, height);
  const middle = height / 2;
  raster.line(0, middle, width - 1, middle, axis);
  const perColumn = Math.max(1, Math.floor(samples.length / width));
  for (let x = 0; x < width && x * perColumn < samples.length; x++) {
    let min = 0;
    let max = 0;
    for (let i = x * perColumn; i < Math.min(samples.length, (x + 1) * perColumn); i++) {
      const sample = samples[i] ?? 0;
      if (sample < min) min = sample;
      if (sample > max) max = sample;
    }
    raster.line(x, middle - (max / 32768) * middle, x, middle - (min / 32768) * middle, color);
  }
  return raster.toPng();
}

/** Heat colours from black through red and yellow to white, for 0..1. */
function heat(value: number): Rgb {
  const v = Math.max(0, Math.min(1, value));
  return [
    Math.round(255 * Math.min(1, v * 3)),
    Math.round(255 * Math.min(1, Math.max(0, v * 3 - 1))),
    Math.round(255 * Math.max(0, v * 3 - 2)),
  ];
}

/** Spectrogram up to `maxHz`: time left to right, frequency bottom to top, 80 dB of range. */
export function spectrogramPng(
  samples: Int16Array,
  sampleRate: number,
  width = 900,
  height = 200,
  maxHz = 4000,
): Buffer {
  const raster = new Raster(width, height, [0, 0, 0]);
  const window = 1024;
  const hop = Math.max(1, Math.floor((samples.length - window) / width));
  for (let x = 0; x < width; x++) {
    const start = x * hop;
    if (start + window > samples.length) break;
    const { binHz, power } = powerSpectrum(samples.subarray(start, start + window), sampleRate);
    for (let y = 0; y < height; y++) {
      const bin = Math.min(
        power.length - 1,
        Math.round(((height - 1 - y) / height) * (maxHz / binHz)),
      );
      const db = 10 * Math.log10((power[bin] ?? 0) + 1e-3);
      raster.set(x, y, heat((db - 40) / 80));
    }
  }
  return raster.toPng();
}

export interface Series {
  name: string;
  color: Rgb;
  points: { t: number; value: number }[];
}

/** Lines of one or more series against time, each scaled to its own maximum. */
export function timelinePng(series: Series[], width = 900, height = 180): Buffer {
  const raster = new Raster(width, height);
  raster.line(0, height - 1, width - 1, height - 1, axis);
  const times = series.flatMap((s) => s.points.map((p) => p.t));
  const start = Math.min(...times, 0);
  const end = Math.max(...times, start + 1);
  for (const s of series) {
    const max = Math.max(...s.points.map((p) => p.value), 1e-9);
    let previous: { x: number; y: number } | undefined;
    for (const point of s.points) {
      const x = ((point.t - start) / (end - start)) * (width - 1);
      const y = height - 2 - (Math.max(0, point.value) / max) * (height - 12);
      if (previous) raster.line(previous.x, previous.y, x, y, s.color);
      else raster.set(x, y, s.color);
      previous = { x, y };
    }
  }
  return raster.toPng();
}
