/**
 * `node-tgcalls loopback [--version 11.0.0|10.0.0] [--seconds N] [--json]`: one call between two
 * in-process endpoints, a different tone each way; exit 0 only when both tones made it.
 */
import { runLoopbackCall } from '../engine/loopback';
import { ENGINE_PROTOCOL_VERSIONS } from '../engine/native-engine';
import type { CliArgs } from './args';

export async function loopbackCommand(args: CliArgs): Promise<number> {
  const report = await runLoopbackCall({
    version: args.choice('version', ENGINE_PROTOCOL_VERSIONS, '11.0.0'),
    seconds: args.number('seconds', 3),
    silent:
      args.string('silent') === undefined
        ? undefined
        : args.choice('silent', ['caller', 'callee'] as const, 'callee'),
  });
  if (args.flag('json')) {
    console.log(JSON.stringify(report));
  } else {
    const line = (name: string, direction: typeof report.callerToCallee): string =>
      `${name}: ${direction.ok ? 'ok' : 'FAILED'} — expected ${direction.expectedHz} Hz, heard ${direction.dominantHz} Hz, ` +
      `tone in ${(direction.toneFraction * 100).toFixed(0)} % of 100 ms windows, SNR ${direction.snrDb} dB`;
    console.log(
      `protocol ${report.version}: ${report.connected ? 'connected' : 'NOT connected'}, audio after ${report.setupMs} ms`,
    );
    console.log(line('caller → callee', report.callerToCallee));
    console.log(line('callee → caller', report.calleeToCaller));
  }
  return report.ok ? 0 : 1;
}
