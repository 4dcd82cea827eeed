/**
 * Where the call layer's diagnostics go. Lines name call ids, states and constructor names;
 * they never contain key material (g_a, g_b, key bytes) or signaling payloads.
 */
export interface CallLogger {
  debug?: (message: string) => void;
  info?: (message: string) => void;
  warn?: (message: string) => void;
}

/** A logger with every level present (missing levels are silent). */
export class Log {
  constructor(
    private readonly sink: CallLogger = {},
    private readonly prefix = '',
  ) {}

  debug(message: string): void {
    this.sink.debug?.(this.prefix + message);
  }

  info(message: string): void {
    this.sink.info?.(this.prefix + message);
  }

  warn(message: string): void {
    this.sink.warn?.(this.prefix + message);
  }

  /** The same sink with a prefix such as `call 42: `. */
  scoped(prefix: string): Log {
    return new Log(this.sink, this.prefix + prefix);
  }
}
