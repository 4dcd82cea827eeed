/**
 * `node-tgcalls record <file> [--from <user>] [--duration S] [--wait S] [--json]`: waits for
 * an incoming Telegram call, accepts it and records what the other side says. Exit 0 when a
 * call was recorded until its end or the duration.
 */
import type { CliArgs } from './args';
import { interruptSignal, interruptedExitCode } from './interrupt';
import { openAccount } from './open-account';
import { printJson } from './print-json';
import { recordIncoming, type RecordResult } from './record-call';

function describe(result: RecordResult): string {
  if (result.stoppedBy === 'noCall') return 'no call came';
  if (!result.answered) return 'interrupted';
  if (result.stoppedBy === 'notConnected')
    return `the call did not connect: ${result.ended?.reason ?? '?'}${result.ended?.error ? ` (${result.ended.error.message})` : ''}`;
  const why = {
    callEnded: result.ended?.endedBy === 'remote' ? 'the other side hung up' : 'the call ended',
    duration: 'the duration passed',
    interrupted: 'interrupted',
  }[result.stoppedBy];
  return (
    `recorded ${result.seconds ?? 0} s from user ${result.peerUserId ?? '?'} into ${result.file}: ${why}` +
    `\n  protocol ${result.version ?? '?'}, emoji ${result.emoji?.join(' ') ?? ''}` +
    `\n  peak level heard ${result.peakLevels?.incoming.toFixed(2) ?? '0'}`
  );
}

export async function recordCommand(args: CliArgs): Promise<number> {
  const file = args.positional(0, 'the file to record into');
  const durationSeconds = args.optionalNumber('duration');
  const waitSeconds = args.optionalNumber('wait');
  const account = await openAccount(args);
  const interrupt = interruptSignal();
  try {
    const result = await recordIncoming(account, {
      file,
      from: args.string('from'),
      durationSeconds,
      waitSeconds,
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
