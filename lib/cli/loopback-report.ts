/** The call report of a `loopback` run: what each side sent and heard, and the network. */
import * as fs from 'node:fs';

import type { DirectionReport, LoopbackReport } from '../engine/loopback';
import { decodeWav } from '../media/wav';
import {
  writeCallReport,
  type CallReportFiles,
  type ReportAudio,
  type ReportStatsSample,
} from '../report/call-report';

function samplesOf(file: string): { samples: Int16Array; sampleRate: number } {
  const { samples, sampleRate, channels } = decodeWav(fs.readFileSync(file));
  if (channels === 1) return { samples, sampleRate };
  // The plots draw one channel: keep the first.
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) mono[i] = samples[i * channels] ?? 0;
  return { samples: mono, sampleRate };
}

function directionAudio(
  sender: string,
  receiver: string,
  direction: DirectionReport,
): ReportAudio[] {
  const { recording, sent, ...analysis } = direction;
  return [
    { title: `${sender} sent`, ...samplesOf(sent) },
    { title: `${receiver} heard`, ...samplesOf(recording), analysis },
  ];
}

export function writeLoopbackReport(
  dir: string,
  report: LoopbackReport,
  timeline: ReportStatsSample[],
): CallReportFiles {
  return writeCallReport(dir, 'call-report', {
    title: 'node-tgcalls loopback call',
    version: report.version,
    setupMs: report.setupMs,
    audio: [
      ...directionAudio('caller', 'callee', report.callerToCallee),
      ...directionAudio('callee', 'caller', report.calleeToCaller),
    ],
    timeline,
    debugJson: report.callerFinalState.debugJson,
    details: {
      connected: report.connected,
      'bytes sent / received (caller)': `${report.callerFinalState.trafficStats.bytesSent} / ${report.callerFinalState.trafficStats.bytesReceived}`,
    },
  });
}
