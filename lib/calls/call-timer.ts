/**
 * One pending deadline of a call (receive, ring, key exchange or connect timeout). The timer
 * is unref'd, so a call waiting for a deadline never keeps the process alive on its own,
 * and every call clears it when it ends.
 */
export class CallTimer {
  private handle: NodeJS.Timeout | undefined;

  /** Replaces any pending deadline. */
  start(ms: number, onExpire: () => void): void {
    this.clear();
    this.handle = setTimeout(() => {
      this.handle = undefined;
      onExpire();
    }, ms);
    this.handle.unref();
  }

  clear(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
  }
}

/** Resolves with `promise` or rejects after `ms`, without keeping the process alive. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(onTimeout());
    }, ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
