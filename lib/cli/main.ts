#!/usr/bin/env node
/**
 * The node-tgcalls command line. `node-tgcalls demo` is what README's `npm run demo` runs.
 * Every command and option: docs/cli.md.
 */
import { CliArgs, UsageError } from './args';
import { demoCommand } from './demo-command';
import { loopbackCommand } from './loopback-command';
import { peerCommand } from './peer-command';
import { playCommand } from './play-command';
import { recordCommand } from './record-command';
import { TgCallsError } from '../errors';
import { versions } from '../index';

const usage = `usage: node-tgcalls <command> [options]

commands:
  demo [--json] [--seconds N] [--out DIR]
                                     a complete call through the local exchange; recordings
                                     and the call report in DIR (default demo-output)
  loopback [--version V] [--seconds N] [--silent caller|callee] [--out DIR] [--json]
                                     one call between two in-process endpoints, a tone each way;
                                     recordings and the call report in DIR (default
                                     loopback-output); exit 0 only when both tones arrived
  play <user> <file> [--loop] [--duration S] [--json]
                                     calls a Telegram user (username, phone or id) and plays
                                     the file (WAV, or anything ffmpeg reads), then hangs up
  record <file> [--from <user>] [--duration S] [--wait S] [--json]
                                     answers the next incoming Telegram call and records what
                                     the other side says (WAV, or any format ffmpeg writes)
  peer --version V --role caller|callee --key FILE --signaling PATH|-
       [--in FILE.wav] [--out FILE.wav] [--seconds N] [--expect-hz HZ]
       [--connect-timeout S] [--json]
                                     one side of a call, signaling over a Unix socket or stdio;
                                     exit 0 only when connected and the expected tone arrived
  versions                           the tg_owt snapshot, addon and protocol versions

play and record log in with TG_API_ID, TG_API_HASH and TG_SESSION (see docs/cli.md).`;

interface Command {
  flags: string[];
  /** How many arguments that are not options the command takes. */
  positionals?: number;
  run: (args: CliArgs) => Promise<number>;
}

const commands: Record<string, Command> = {
  demo: { flags: ['json'], run: demoCommand },
  loopback: { flags: ['json'], run: loopbackCommand },
  play: { flags: ['json', 'loop'], positionals: 2, run: playCommand },
  record: { flags: ['json'], positionals: 1, run: recordCommand },
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
  return command.run(new CliArgs(rest, new Set(command.flags), command.positionals));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof UsageError
        ? `${error.message}\n\n${usage}`
        : error instanceof TgCallsError
          ? `${error.code}: ${error.message}`
          : error instanceof Error
            ? error.message
            : error,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
