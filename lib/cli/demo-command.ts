/**
 * `node-tgcalls demo [--json]`: what README's `npm run demo` runs. For now the engine's
 * loopback call; the call through the local exchange joins when the call layer lands.
 */
import { runLoopbackCall } from '../engine/loopback';
import { versions } from '../index';
import type { CliArgs } from './args';

export async function demoCommand(args: CliArgs): Promise<number> {
  const report = await runLoopbackCall({ version: '11.0.0', seconds: 3 });
  if (args.flag('json')) {
    console.log(JSON.stringify({ versions: versions(), audio: report }));
  } else {
    console.log(`node-tgcalls ${versions().addon} on tg_owt ${versions().tgOwt}`);
    console.log(
      `call (protocol ${report.version}): ${report.connected ? 'connected' : 'NOT connected'}, audio both ways after ${report.setupMs} ms`,
    );
    console.log(
      `caller → callee: ${report.callerToCallee.dominantHz} Hz (sent ${report.callerToCallee.expectedHz})`,
    );
    console.log(
      `callee → caller: ${report.calleeToCaller.dominantHz} Hz (sent ${report.calleeToCaller.expectedHz})`,
    );
  }
  return report.ok ? 0 : 1;
}
