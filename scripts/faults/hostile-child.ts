/**
 * Child process of the faults run: hostile signaling into live calls of both versions. Run
 * apart so that a crash is seen as a crash (a signal or an abnormal exit) and counted, rather
 * than taking the whole run down. Prints one JSON line: HostileCallResult[].
 *
 *   node hostile-child.js COUNT SEED
 */
import { runHostileCall, type HostileCallResult } from './hostile-call';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '700');
  const seed = Number(process.argv[3] ?? '1');
  const results: HostileCallResult[] = [];
  for (const version of ['11.0.0', '10.0.0'] as const) {
    results.push(await runHostileCall({ version, count, seed }));
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
