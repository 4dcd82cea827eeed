/** Signaling units over a byte stream: each is a 4-byte big-endian length, then the bytes. */

export function frame(unit: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(unit.length);
  return Buffer.concat([header, unit]);
}

/** Collects stream chunks and returns the complete units they finish. */
export class UnitReader {
  private pending = Buffer.alloc(0);

  constructor(private readonly maxUnitBytes = 1 << 20) {}

  push(chunk: Buffer): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const units: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length > this.maxUnitBytes)
        throw new Error(`signaling unit of ${length} bytes is too large`);
      if (this.pending.length < 4 + length) break;
      units.push(Buffer.from(this.pending.subarray(4, 4 + length)));
      this.pending = this.pending.subarray(4 + length);
    }
    return units;
  }
}
