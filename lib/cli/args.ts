/**
 * A small command-line option parser: `--name value`, `--flag`, `--name=value`, and up to
 * a command's number of positional arguments.
 */
export class CliArgs {
  private readonly values = new Map<string, string | true>();
  /** Arguments that are not options, in order. */
  readonly positionals: string[] = [];

  constructor(
    args: string[],
    private readonly flags: ReadonlySet<string>,
    maxPositionals = 0,
  ) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? '';
      if (!arg.startsWith('--')) {
        if (this.positionals.length >= maxPositionals)
          throw new UsageError(`unexpected argument '${arg}'`);
        this.positionals.push(arg);
        continue;
      }
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
    const value = this.optionalNumber(name);
    return value ?? fallback;
  }

  /** A positive number, or undefined when the option is absent. */
  optionalNumber(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
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

  /** Like choice(), for an option without a default: a UsageError naming it when absent. */
  requiredChoice<T extends string>(name: string, choices: readonly T[]): T {
    if (this.string(name) === undefined)
      throw new UsageError(`--${name} is required (one of ${choices.join(', ')})`);
    return this.choice(name, choices, choices[0] as T);
  }

  /** A string option without a default: a UsageError naming it when absent. */
  requiredString(name: string, what: string): string {
    const value = this.string(name);
    if (value === undefined) throw new UsageError(`--${name} is required (${what})`);
    return value;
  }

  /** The positional argument at `index`; a UsageError naming `what` when it is missing. */
  positional(index: number, what: string): string {
    const value = this.positionals[index];
    if (value === undefined) throw new UsageError(`${what} is missing`);
    return value;
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}
