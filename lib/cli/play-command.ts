/**
 * `node-tgcalls play <user> <file> [--loop] [--duration S] [--json]`: calls a Telegram user
 * and plays a file to them, then hangs up. Exit 0 when the call connected and the file played
 * until its end, the duration or the other side's hang-up.
 */
import * as fs from 'node:fs';

import { TgCallsError } from '../errors';
import type { CliArgs } from './args';
import { interruptSignal, interruptedExitCode } from './interrupt';
import { openAccount } from './open-account';
import { playToUser, type PlayResult } from './play-call';
import { printJson } from './print-json';

function describe(result: PlayResult): string {
  if (result.stoppedBy === 'notConnected')
    return `the call did not connect: ${result.ended.reason}${result.ended.error ? ` (${result.ended.error.message})` : ''}`;
  const why = {
    fileEnded: 'the file ended',
    duration: 'the duration passed',
    callEnded: result.ended.endedBy === 'remote' ? 'the other side hung up' : 'the call ended',
    interrupted: 'interrupted',
  }[result.stoppedBy];
  return (
    `played ${result.file} (${result.decoder ?? '?'}) for ${result.seconds} s: ${why}` +
    (result.playbackError ? `; ${result.playbackError}` : '') +
    `\n  protocol ${result.version ?? '?'}, set up in ${result.setupMs} ms, emoji ${result.emoji.join(' ')}` +
    `\n  peak level sent ${result.peakLevels.outgoing.toFixed(2)}, heard ${result.peakLevels.incoming.toFixed(2)}`
  );
}

/** Files must exist; URLs and devices are ffmpeg's to open. */
export function checkReadable(file: string): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return;
  if (!fs.existsSync(file)) throw new TgCallsError('MEDIA_FILE_NOT_FOUND', `no such file: ${file}`);
}

export async function playCommand(args: CliArgs): Promise<number> {
  const user = args.positional(0, 'the user to call');
  const file = args.positional(1, 'the file to play');
  checkReadable(file);
  const durationSeconds = args.optionalNumber('duration');
  const account = await openAccount(args);
  const interrupt = interruptSignal();
  try {
    const result = await playToUser(account, {
      user,
      file,
      loop: args.flag('loop'),
      durationSeconds,
      signal: interrupt.signal,
    });
    if (args.flag('json')) printJson(result);
    else console.log(describe(result));
    if (result.stoppedBy === 'interrupted') return interruptedExitCode;
    return result.ok ? 0 : 1;
  } finally {
    interrupt.dispose();
    await account.close();
  }
}
