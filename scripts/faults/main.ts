/**
 * npm run faults -- [--quick] [--json] [--write-doc] [--seed N] [--concurrency N]
 *
 * Fault-injection run of the engine: impaired media paths (through coturn and an impaired UDP
 * relay), blackouts, signaling loss, hostile signaling, churn. Prints a summary (one JSON
 * object with --json; progress goes to stderr) and, with --write-doc, replaces the generated
 * section of docs/reliability.md with the figures of this run.
 */
import * as os from 'node:os';

import { startTurnServer } from '../../test/support/turn-server';
import { measureAudioQuality, type AudioQualityResult } from './audio-quality';
import { measureBlackout, type BlackoutResult } from './blackout';
import { measureChurn } from './churn';
import { runHostileChild } from './hostile-run';
import { makePlan } from './plan';
import { writeReliabilityDoc } from './report';
import { runSignalingFaultCalls, type SignalingCallsResult } from './signaling-calls';
import { measureWrongCredentials, type WrongCredentialsResult } from './wrong-credentials';

interface Args {
  quick: boolean;
  json: boolean;
  writeDoc: boolean;
  seed: number;
  concurrency: number | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    json: false,
    writeDoc: false,
    seed: 1,
    concurrency: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`${String(arg)} needs a positive integer`);
      return n;
    };
    if (arg === '--quick') args.quick = true;
    else if (arg === '--json') args.json = true;
    else if (arg === '--write-doc') args.writeDoc = true;
    else if (arg === '--seed') args.seed = value();
    else if (arg === '--concurrency') args.concurrency = value();
    else throw new RangeError(`unknown argument ${String(arg)}`);
  }
  return args;
}

export interface FaultsSummary {
  mode: 'quick' | 'full';
  seed: number;
  durationMs: number;
  machine: { cpus: number; loadAverage: number; node: string };
  /** Share of calls connected with 30 % of signaling units dropped. */
  signalingLossConnectRate: number;
  /** Calls run at 30 % signaling loss. */
  calls: number;
  /** 5 s blackout: path return → both sides hear the tone and report established (worst run). */
  blackoutRecoveryMs: number;
  relayConnected: boolean;
  fuzzCases: number;
  crashes: number;
  rssGrowthMiB: number;
  threadGrowth: number;
  fdGrowth: number;
  /** Wall time of each scenario, ms (overlapping ones in the quick run). */
  phases: Record<string, number>;
  details: {
    signalingLoss: SignalingCallsResult;
    signalingMixed: SignalingCallsResult | undefined;
    audio: (AudioQualityResult & { name: string })[];
    blackouts: BlackoutResult[];
    longBlackout: BlackoutResult | undefined;
    wrongCredentials: WrongCredentialsResult | undefined;
    hostile: Awaited<ReturnType<typeof runHostileChild>>;
    churn: Awaited<ReturnType<typeof measureChurn>>;
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan = makePlan(args.quick);
  const concurrency = args.concurrency ?? plan.concurrency;
  const log = (line: string): void => {
    process.stderr.write(`faults: ${line}\n`);
  };
  const startedAt = performance.now();
  const machine = {
    cpus: os.cpus().length,
    loadAverage: os.loadavg()[0] ?? 0,
    node: process.version,
  };
  const turn = await startTurnServer();
  try {
    log(`${plan.mode} run, seed ${args.seed}`);
    const progress = (what: string, total: number) => (done: number, connected?: number) => {
      if (done % 50 === 0 || done === total)
        log(
          `${what}: ${done}/${total}${connected === undefined ? '' : `, ${connected} connected`}`,
        );
    };
    const phases: Record<string, number> = {};
    const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const phaseStart = performance.now();
      try {
        return await run();
      } finally {
        phases[name] = Math.round(performance.now() - phaseStart);
      }
    };
    const signalingLossRun = (): Promise<SignalingCallsResult> =>
      timed('signalingLoss', () =>
        runSignalingFaultCalls({
          calls: plan.signalingLossCalls,
          mode: 'loss',
          rate: 0.3,
          seed: args.seed * 100_000,
          concurrency,
          connectTimeoutMs: plan.connectTimeoutMs,
          onCall: progress('30 % signaling loss', plan.signalingLossCalls),
        }),
      );
    // The quick run overlaps the signaling calls (mostly waiting on retransmission timers)
    // with the media scenarios (mostly waiting on the clock) to stay under a minute.
    const signalingLossInBackground = plan.overlap ? signalingLossRun() : undefined;

    const audio: FaultsSummary['details']['audio'] = [];
    for (const [index, audioCase] of plan.audioCases.entries()) {
      const result = await timed(`audio ${audioCase.name}`, () =>
        measureAudioQuality({
          turn,
          profile: audioCase.profile,
          seed: args.seed + index,
          seconds: plan.audioSeconds,
        }),
      );
      audio.push({ name: audioCase.name, ...result });
      log(
        `audio, ${audioCase.name}: longest gap ${result.callerToCallee.longestGapMs}/${result.calleeToCaller.longestGapMs} ms, ` +
          `tone windows ${result.callerToCallee.toneFraction.toFixed(3)}/${result.calleeToCaller.toneFraction.toFixed(3)}`,
      );
    }
    const blackouts: BlackoutResult[] = [];
    for (let run = 0; run < plan.blackoutRuns; run++) {
      const result = await timed(`blackout ${run + 1}`, () =>
        measureBlackout({ turn, blackoutMs: 5000, seed: args.seed + run }),
      );
      blackouts.push(result);
      log(`5 s blackout: recovery ${result.recoveryMs} ms, audio back ${result.audioBackMs} ms`);
    }
    const longBlackout = plan.longBlackout
      ? await timed('long blackout', () =>
          measureBlackout({
            turn,
            blackoutMs: 15_000,
            packetTimeoutMs: 10_000,
            seed: args.seed,
            observeMs: 2000,
          }),
        )
      : undefined;
    if (longBlackout) log(`15 s blackout: ${longBlackout.errors.join(', ') || 'no error'}`);
    const wrongCredentials = plan.wrongCredentials
      ? await timed('wrong credentials', () => measureWrongCredentials(turn, 5000))
      : undefined;
    if (wrongCredentials)
      log(
        `wrong TURN password: ${wrongCredentials.code} after ${wrongCredentials.failedAfterMs} ms`,
      );

    const signalingLoss = await (signalingLossInBackground ?? signalingLossRun());
    const signalingMixed = plan.signalingMixedCalls
      ? await timed('signalingMixed', () =>
          runSignalingFaultCalls({
            calls: plan.signalingMixedCalls,
            mode: 'mixed',
            rate: 0.3,
            seed: args.seed * 100_000 + 50_000,
            concurrency,
            connectTimeoutMs: plan.connectTimeoutMs,
            onCall: progress('30 % mixed signaling faults', plan.signalingMixedCalls),
          }),
        )
      : undefined;
    const hostile = await timed('hostile', () =>
      runHostileChild(plan.hostileUnitsPerVersion, args.seed),
    );
    log(`hostile signaling: ${hostile.fuzzCases} units, ${hostile.crashes} crashes`);
    const churn = await timed('churn', () =>
      measureChurn({
        sequential: plan.churnSequential,
        concurrent: plan.churnConcurrent,
        onProgress: progress('churn', plan.churnSequential),
      }),
    );
    log(
      `churn: rss ${churn.rssGrowthMiB} MiB, threads ${churn.threadGrowth}, fds ${churn.fdGrowth}`,
    );

    const relay = audio[0];
    const summary: FaultsSummary = {
      mode: plan.mode,
      seed: args.seed,
      durationMs: Math.round(performance.now() - startedAt),
      machine,
      signalingLossConnectRate: signalingLoss.connectRate,
      calls: signalingLoss.calls,
      blackoutRecoveryMs: blackouts.every((b) => b.recovered)
        ? Math.max(...blackouts.map((b) => b.recoveryMs))
        : -1,
      relayConnected:
        relay !== undefined && relay.connected && relay.localCandidateType === 'relay',
      fuzzCases: hostile.fuzzCases,
      crashes: hostile.crashes,
      rssGrowthMiB: churn.rssGrowthMiB,
      threadGrowth: churn.threadGrowth,
      fdGrowth: churn.fdGrowth,
      phases,
      details: {
        signalingLoss,
        signalingMixed,
        audio,
        blackouts,
        longBlackout,
        wrongCredentials,
        hostile,
        churn,
      },
    };
    if (args.writeDoc) log(`wrote ${await writeReliabilityDoc(summary)}`);
    process.stdout.write(
      args.json ? `${JSON.stringify(summary)}\n` : `${JSON.stringify(summary, null, 2)}\n`,
    );
  } finally {
    await turn.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `faults: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
