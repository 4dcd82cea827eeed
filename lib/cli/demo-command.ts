/**
 * `node-tgcalls demo [--json] [--seconds N] [--out DIR]`: what README's `npm run demo` runs.
 * Two CallManagers call each other through the LocalExchange with the real engine: request,
 * ring, accept, key exchange (emoji on both sides), a tone each way for a few seconds,
 * hang-up by the caller, a rating with a problem hashtag, debug JSON saved. What each side
 * sent and heard is recorded, analysed and drawn in a call report (HTML and JSON) in DIR.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runExchangeDemo } from '../calls/demo';
import type { PhoneCall } from '../calls/phone-call';
import { NativeCallEngine, createNativeEngine } from '../engine/native-engine';
import { analyseTone, isToneReceived } from '../media/analysis';
import { decodeWav, encodeWav, sineTone } from '../media/wav';
import { writeCallReport, type ReportAudio, type ReportStatsSample } from '../report/call-report';
import { versions } from '../index';
import type { CliArgs } from './args';
import { showEngineProgress } from './engine-progress';
import { printJson } from './print-json';
import { sampleStats } from './stats-timeline';

const callerHz = 1000;
const calleeHz = 600;

/** The two channels of a conversation recording: left what was sent, right what was heard. */
function splitConversation(file: string): { sent: Int16Array; heard: Int16Array } {
  const { samples } = decodeWav(fs.readFileSync(file));
  const sent = new Int16Array(samples.length / 2);
  const heard = new Int16Array(samples.length / 2);
  for (let i = 0; i < sent.length; i++) {
    sent[i] = samples[2 * i] ?? 0;
    heard[i] = samples[2 * i + 1] ?? 0;
  }
  return { sent, heard };
}

function analysed(samples: Int16Array, expectedHz: number) {
  const analysis = analyseTone(samples, 48000, expectedHz);
  const ok = isToneReceived(analysis, expectedHz);
  return { expectedHz, ...analysis, ok };
}

/** Samples the caller's engine statistics for the report; a live level line on a TTY. */
function watch(caller: PhoneCall, timeline: ReportStatsSample[]): () => void {
  const engine = caller.engine;
  if (!(engine instanceof NativeCallEngine)) return () => undefined;
  const stopSampling = sampleStats(engine, timeline, () => caller.state === 'established');
  const stopProgress = showEngineProgress(engine, {
    labels: { outgoing: 'caller sends', incoming: 'hears' },
    established: true,
  });
  return () => {
    stopSampling();
    stopProgress();
  };
}

export async function demoCommand(args: CliArgs): Promise<number> {
  const outDir = path.resolve(args.string('out') ?? 'demo-output');
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    callerTone: path.join(outDir, 'caller-sends-1000hz.wav'),
    calleeTone: path.join(outDir, 'callee-sends-600hz.wav'),
    caller: path.join(outDir, 'caller-conversation.wav'),
    callee: path.join(outDir, 'callee-conversation.wav'),
  };
  const tone = (hz: number) =>
    encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 2) });
  fs.writeFileSync(files.callerTone, tone(callerHz));
  fs.writeFileSync(files.calleeTone, tone(calleeHz));

  const audioCommon = { loopInput: true };
  const timeline: ReportStatsSample[] = [];
  let stopWatching: () => void = () => undefined;
  const result = await runExchangeDemo({
    seconds: args.number('seconds', 3),
    engineFactory: (options) =>
      createNativeEngine({
        ...options,
        audio: options.isOutgoing
          ? { ...audioCommon, inputWav: files.callerTone, conversationWav: files.caller }
          : { ...audioCommon, inputWav: files.calleeTone, conversationWav: files.callee },
      }),
    onEstablished: ({ caller }) => {
      stopWatching = watch(caller, timeline);
    },
  });
  stopWatching();

  const callerSide = splitConversation(files.caller);
  const calleeSide = splitConversation(files.callee);
  const audio = {
    callerToCallee: analysed(calleeSide.heard, callerHz),
    calleeToCaller: analysed(callerSide.heard, calleeHz),
  };
  const reportAudio: ReportAudio[] = [
    { title: 'caller sent', samples: callerSide.sent, sampleRate: 48000 },
    {
      title: 'callee heard',
      samples: calleeSide.heard,
      sampleRate: 48000,
      analysis: audio.callerToCallee,
    },
    { title: 'callee sent', samples: calleeSide.sent, sampleRate: 48000 },
    {
      title: 'caller heard',
      samples: callerSide.heard,
      sampleRate: 48000,
      analysis: audio.calleeToCaller,
    },
  ];
  const reportFiles = writeCallReport(outDir, 'call-report', {
    title: 'node-tgcalls demo call',
    version: result.caller.version ?? '',
    setupMs: result.setupMs,
    audio: reportAudio,
    timeline,
    debugJson: result.caller.finalState?.debugJson ?? '{}',
    details: {
      'key fingerprint': result.caller.keyFingerprint,
      emoji: result.caller.emoji.join(' '),
      ended: `${result.discard.reason} after ${result.discard.duration} s`,
      rating: result.rating,
    },
  });
  const report = {
    ...result,
    audio,
    report: reportFiles.html,
    reportJson: reportFiles.json,
    recordings: [files.caller, files.callee],
  };
  const ok =
    audio.callerToCallee.ok &&
    audio.calleeToCaller.ok &&
    result.caller.keyFingerprint === result.callee.keyFingerprint &&
    result.debugSaved;

  if (args.flag('json')) {
    printJson(report);
    return ok ? 0 : 1;
  }
  const v = versions();
  console.log(`node-tgcalls ${v.addon} on tg_owt ${v.tgOwt}: a call through the local exchange`);
  console.log(
    `  protocol ${result.caller.version ?? '?'}, set up in ${result.setupMs} ms, key fingerprint ${result.caller.keyFingerprint}`,
  );
  console.log(
    `  emoji  caller ${result.caller.emoji.join(' ')}   callee ${result.callee.emoji.join(' ')}`,
  );
  for (const [name, d] of [
    ['caller → callee', audio.callerToCallee],
    ['callee → caller', audio.calleeToCaller],
  ] as const) {
    console.log(
      `  ${name}: sent ${d.expectedHz} Hz, heard ${d.dominantHz} Hz in ${(d.toneFraction * 100).toFixed(0)} % ` +
        `of 100 ms windows, SNR ${d.snrDb} dB ${d.ok ? '✓' : '✗'}`,
    );
  }
  console.log(`  ended: ${result.discard.reason} after ${result.discard.duration} s`);
  if (result.rating) {
    console.log(
      `  rated ${result.rating.rating}: "${result.rating.comment}" (user initiative: ${result.rating.userInitiative})`,
    );
  }
  console.log(`  debug JSON saved: ${result.debugSaved ? 'yes' : 'no'}`);
  console.log(
    `  report: ${path.relative(process.cwd(), reportFiles.html)} (and .json), recordings in ${path.relative(process.cwd(), outDir)}/`,
  );
  console.log(ok ? 'demo call OK' : 'demo call FAILED');
  return ok ? 0 : 1;
}
