/** Loading an optional peer dependency with an error that says how to install it. */
import { TgCallsError } from '../errors';

type Loader = (name: string) => unknown;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeRequire: Loader = (name) => require(name) as unknown;

/**
 * require(`name`), or a TgCallsError PEER_DEPENDENCY_MISSING naming `packageName` when that
 * package is not installed. Other load failures are passed on as they are.
 */
export function requireOptional(name: string, packageName: string, load = nodeRequire): unknown {
  try {
    return load(name);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // Only the package itself missing; a broken install of it is reported as it is.
    const message = error instanceof Error ? error.message : '';
    if (code !== 'MODULE_NOT_FOUND' || !message.includes(`'${name}'`)) throw error;
    throw new TgCallsError(
      'PEER_DEPENDENCY_MISSING',
      `this command needs the '${packageName}' package: npm install ${packageName}`,
      { cause: error },
    );
  }
}
