/**
 * Hostile signaling units made from genuine ones: corrupted (bits flipped), truncated,
 * extended, oversized, replayed, random, and units of another call (encrypted with another
 * key). Seeded. The engine must drop every one silently and carry on.
 */
import { mulberry32, type Random } from '../../lib/netem';

export const hostileKinds = [
  'corrupted',
  'truncated',
  'extended',
  'oversized',
  'replayed',
  'random',
  'foreignKey',
] as const;
export type HostileKind = (typeof hostileKinds)[number];

export interface HostileUnit {
  kind: HostileKind;
  data: Buffer;
}

function randomBytes(random: Random, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('nothing to pick from');
  return item;
}

export interface HostileSource {
  /** Units of this call, captured as sent. */
  genuine: readonly Buffer[];
  /** Units of another call, with another key. */
  foreign: readonly Buffer[];
}

/** `count` hostile units, kinds in turn, contents from `seed`. */
export function makeHostileUnits(
  source: HostileSource,
  count: number,
  seed: number,
): HostileUnit[] {
  const random = mulberry32(seed);
  const units: HostileUnit[] = [];
  for (let i = 0; i < count; i++) {
    const kind = hostileKinds[i % hostileKinds.length] ?? 'random';
    const genuine = pick(random, source.genuine);
    let data: Buffer;
    switch (kind) {
      case 'corrupted': {
        data = Buffer.from(genuine);
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(random() * data.length);
          data[at] = (data[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        }
        break;
      }
      case 'truncated':
        data = genuine.subarray(0, Math.floor(random() * genuine.length));
        break;
      case 'extended':
        data = Buffer.concat([genuine, randomBytes(random, 1 + Math.floor(random() * 64))]);
        break;
      case 'oversized':
        // 64 KiB to 1 MiB, far beyond any packet the protocol allows: a random 4 KiB
        // pattern repeated (generating a megabyte byte by byte would dominate the run).
        data = Buffer.alloc(65_536 + Math.floor(random() * 983_040), randomBytes(random, 4096));
        break;
      case 'replayed':
        data = Buffer.from(genuine);
        break;
      case 'random':
        data = randomBytes(random, Math.floor(random() * 2000));
        break;
      case 'foreignKey':
        data = Buffer.from(pick(random, source.foreign));
        break;
    }
    units.push({ kind, data });
  }
  return units;
}
