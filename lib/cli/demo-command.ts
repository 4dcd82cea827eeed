/**
 * `node-tgcalls demo [--json] [--seconds N] [--out DIR]`: what README's `npm run demo` runs.
 * Two CallManagers call each other through the LocalExchange with the real engine: request,
 * ring, accept, key exchange (emoji on both sides), a tone each way for a few seconds,
 * hang-up by the caller, a rating with a problem hashtag, debug JSON saved. The recordings of
 * what each side heard are analysed and kept in the output directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runExchangeDemo } from '../calls/demo';
import { createNativeEngine } from '../engine/native-engine';
import { analyseTone } from '../media/analysis';
import { decodeWav, encodeWav, sineTone } from '../media/wav';
import { versions } from '../index';
import type { CliArgs } from './args';

const callerHz = 1000;
const calleeHz = 600;

function direction(recording: string, expectedHz: number) {
  const audio = decodeWav(fs.readFileSync(recording));
  const analysis = analyseTone(audio.samples, audio.sampleRate, expectedHz);
  const ok =
    Math.abs(analysis.dominantHz - expectedHz) <= Math.max(15, expectedHz * 0.02) &&
    analysis.toneFraction >= 0.9;
  return { expectedHz, ...analysis, ok };
}

export async function demoCommand(args: CliArgs): Promise<number> {
  const outDir = path.resolve(args.string('out') ?? 'demo-output');
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    callerTone: path.join(outDir, 'caller-sends-1000hz.wav'),
    calleeTone: path.join(outDir, 'callee-sends-600hz.wav'),
    callerHeard: path.join(outDir, 'caller-heard.wav'),
    calleeHeard: path.join(outDir, 'callee-heard.wav'),
  };
  const tone = (hz: number) =>
    encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 2) });
  fs.writeFileSync(files.callerTone, tone(callerHz));
  fs.writeFileSync(files.calleeTone, tone(calleeHz));

  const result = await runExchangeDemo({
    seconds: args.number('seconds', 3),
    engineFactory: (options) =>
      createNativeEngine({
        ...options,
        audio: options.isOutgoing
          ? { inputWav: files.callerTone, loopInput: true, outputWav: files.callerHeard }
          : { inputWav: files.calleeTone, loopInput: true, outputWav: files.calleeHeard },
      }),
  });
  const audio = {
    callerToCallee: direction(files.calleeHeard, callerHz),
    calleeToCaller: direction(files.callerHeard, calleeHz),
  };
  const report = {
    ...result,
    audio,
    recordings: [files.callerHeard, files.calleeHeard],
  };
  const ok =
    audio.callerToCallee.ok &&
    audio.calleeToCaller.ok &&
    result.caller.keyFingerprint === result.callee.keyFingerprint &&
    result.debugSaved;

  if (args.flag('json')) {
    console.log(
      JSON.stringify(report, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      ),
    );
    return ok ? 0 : 1;
  }
  const v = versions();
  console.log(`node-tgcalls ${v.addon} on tg_owt ${v.tgOwt}: a call through the local exchange`);
  console.log(
    `  protocol ${result.caller.version ?? '?'}, key fingerprint ${result.caller.keyFingerprint}`,
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
  console.log(`  recordings: ${path.relative(process.cwd(), outDir)}/`);
  console.log(ok ? 'demo call OK' : 'demo call FAILED');
  return ok ? 0 : 1;
}
