/**
 * `node-tgcalls loopback [--version 11.0.0|10.0.0] [--seconds N] [--silent caller|callee]
 * [--out DIR] [--json]`: one call between two in-process endpoints, a different tone each way;
 * recordings and the call report (HTML and JSON) in DIR, as `demo` does. Exit 0 only when
 * both tones made it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runLoopbackCall } from '../engine/loopback';
import { ENGINE_PROTOCOL_VERSIONS } from '../engine/native-engine';
import type { ReportStatsSample } from '../report/call-report';
import type { CliArgs } from './args';
import { showEngineProgress } from './engine-progress';
import { writeLoopbackReport } from './loopback-report';
import { printJson } from './print-json';
import { sampleStats } from './stats-timeline';

export async function loopbackCommand(args: CliArgs): Promise<number> {
  const outDir = path.resolve(args.string('out') ?? 'loopback-output');
  fs.mkdirSync(outDir, { recursive: true });
  const timeline: ReportStatsSample[] = [];
  let stopWatching: () => void = () => undefined;
  const report = await runLoopbackCall({
    version: args.choice('version', ENGINE_PROTOCOL_VERSIONS, '11.0.0'),
    seconds: args.number('seconds', 3),
    silent:
      args.string('silent') === undefined
        ? undefined
        : args.choice('silent', ['caller', 'callee'] as const, 'callee'),
    workDir: outDir,
    onStarted: ({ caller }) => {
      let established = false;
      caller.on('state', (state) => {
        established = state === 'established';
      });
      const stopSampling = sampleStats(caller, timeline, () => established);
      const stopProgress = showEngineProgress(caller, {
        labels: { outgoing: 'caller sends', incoming: 'hears' },
      });
      stopWatching = () => {
        stopSampling();
        stopProgress();
      };
    },
  });
  stopWatching();
  const reportFiles = writeLoopbackReport(outDir, report, timeline);
  const output = {
    ...report,
    // The debug JSON is in the report; the summary stays one readable line.
    callerFinalState: undefined,
    report: reportFiles.html,
    reportJson: reportFiles.json,
    recordings: [report.callerToCallee.recording, report.calleeToCaller.recording],
  };

  if (args.flag('json')) {
    printJson(output);
  } else {
    const line = (name: string, direction: typeof report.callerToCallee): string =>
      `${name}: ${direction.ok ? 'ok' : 'FAILED'} — expected ${direction.expectedHz} Hz, heard ${direction.dominantHz} Hz, ` +
      `tone in ${(direction.toneFraction * 100).toFixed(0)} % of 100 ms windows, SNR ${direction.snrDb} dB`;
    console.log(
      `protocol ${report.version}: ${report.connected ? 'connected' : 'NOT connected'}, audio after ${report.setupMs} ms`,
    );
    console.log(line('caller → callee', report.callerToCallee));
    console.log(line('callee → caller', report.calleeToCaller));
    console.log(
      `report: ${path.relative(process.cwd(), reportFiles.html)} (and .json), recordings in ${path.relative(process.cwd(), outDir)}/`,
    );
  }
  return report.ok ? 0 : 1;
}
