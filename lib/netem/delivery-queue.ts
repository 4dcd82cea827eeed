/**
 * Runs callbacks at given times (performance.now() ms) in time order, ties in insertion
 * order, with one Node timer for the earliest. Per-packet setTimeout calls would not
 * guarantee that order across different delays.
 */
interface Entry {
  atMs: number;
  order: number;
  run: () => void;
}

export class DeliveryQueue {
  private readonly heap: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;
  private nextOrder = 0;
  private closed = false;

  get size(): number {
    return this.heap.length;
  }

  schedule(atMs: number, run: () => void): void {
    if (this.closed) return;
    this.push({ atMs, order: this.nextOrder++, run });
    this.arm();
  }

  /** Drops everything pending; nothing runs after this. */
  close(): void {
    this.closed = true;
    this.heap.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const first = this.heap[0];
    if (!first || first.atMs >= this.timerAtMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAtMs = first.atMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAtMs = Infinity;
        this.runDue();
      },
      Math.max(0, first.atMs - performance.now()),
    );
  }

  private runDue(): void {
    const now = performance.now();
    for (let first = this.heap[0]; first && first.atMs <= now; first = this.heap[0]) {
      this.pop();
      first.run();
      if (this.closed) return;
    }
    this.arm();
  }

  private before(a: Entry, b: Entry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = heap[parent];
      if (!up || !this.before(entry, up)) break;
      heap[i] = up;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = last;
      let index = -1;
      const l = heap[left];
      const r = heap[right];
      if (l && this.before(l, smallest)) {
        smallest = l;
        index = left;
      }
      if (r && this.before(r, smallest)) {
        smallest = r;
        index = right;
      }
      if (index < 0) break;
      heap[i] = smallest;
      i = index;
    }
    heap[i] = last;
  }
}
