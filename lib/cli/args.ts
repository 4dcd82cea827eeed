/** A small command-line option parser: `--name value`, `--flag`, and `--name=value`. */
export class CliArgs {
  private readonly values = new Map<string, string | true>();

  constructor(
    args: string[],
    private readonly flags: ReadonlySet<string>,
  ) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? '';
      if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
      const equals = arg.indexOf('=');
      if (equals > 0) {
        this.values.set(arg.slice(2, equals), arg.slice(equals + 1));
      } else if (this.flags.has(arg.slice(2))) {
        this.values.set(arg.slice(2), true);
      } else {
        const value = args[++i];
        if (value === undefined) throw new UsageError(`${arg} needs a value`);
        this.values.set(arg.slice(2), value);
      }
    }
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  number(name: string, fallback: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new UsageError(`--${name} must be a positive number`);
    return value;
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const text = this.string(name);
    if (text === undefined) return fallback;
    if (!(choices as readonly string[]).includes(text)) {
      throw new UsageError(`--${name} must be one of ${choices.join(', ')}`);
    }
    return text as T;
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}
