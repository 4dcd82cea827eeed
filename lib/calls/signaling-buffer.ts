/**
 * Signaling units that arrive before the call's engine exists, kept in arrival order and
 * replayed once it starts (spec §8.4 [rec]). Bounded: past the limits the oldest units go,
 * as the peer's engine resends what matters (10.0.0 every 5 s, 11.0.0 through SCTP).
 */
export class SignalingBuffer {
  private readonly units: Uint8Array[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(
    private readonly maxUnits = 256,
    private readonly maxBytes = 1 << 20,
  ) {}

  push(unit: Uint8Array): void {
    this.units.push(unit);
    this.bytes += unit.length;
    while (this.units.length > this.maxUnits || this.bytes > this.maxBytes) {
      const oldest = this.units.shift();
      this.bytes -= oldest?.length ?? 0;
      this.dropped += 1;
    }
  }

  /** Empties the buffer; returns the units in arrival order and how many were dropped. */
  drain(): { units: Uint8Array[]; dropped: number } {
    const drained = { units: this.units.splice(0), dropped: this.dropped };
    this.bytes = 0;
    this.dropped = 0;
    return drained;
  }

  get size(): number {
    return this.units.length;
  }
}
