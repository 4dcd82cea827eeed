#!/usr/bin/env node
/**
 * The node-tgcalls command line. `node-tgcalls demo` is what README's `npm run demo` runs.
 */
import { CliArgs, UsageError } from './args';
import { demoCommand } from './demo-command';
import { loopbackCommand } from './loopback-command';
import { peerCommand } from './peer-command';
import { versions } from '../index';

const usage = `usage: node-tgcalls <command> [options]

commands:
  demo [--json] [--seconds N] [--out DIR]
                                     a complete call through the local exchange; recordings in DIR
  loopback [--version V] [--seconds N] [--silent caller|callee] [--json]
                                     one call between two in-process endpoints, a tone each way;
                                     exit 0 only when both tones arrived
  peer --version V --role caller|callee --key FILE --signaling PATH|-
       [--in FILE.wav] [--out FILE.wav] [--seconds N] [--expect-hz HZ] [--json]
                                     one side of a call, signaling over a Unix socket or stdio
  versions                           the tg_owt snapshot, addon and protocol versions`;

const commands: Record<string, { flags: string[]; run: (args: CliArgs) => Promise<number> }> = {
  demo: { flags: ['json'], run: demoCommand },
  loopback: { flags: ['json'], run: loopbackCommand },
  peer: { flags: ['json'], run: peerCommand },
  versions: {
    flags: [],
    run: () => {
      console.log(JSON.stringify(versions(), null, 2));
      return Promise.resolve(0);
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    console.error(usage);
    return name === undefined || name === '--help' ? 0 : 2;
  }
  return command.run(new CliArgs(rest, new Set(command.flags)));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof UsageError
        ? `${error.message}\n\n${usage}`
        : error instanceof Error
          ? error.message
          : error,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
