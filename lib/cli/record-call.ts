/**
 * `record`, once connected: waits for an incoming call (from one user with --from), accepts
 * it and records what the other side says until they hang up, --duration passes or Ctrl-C.
 * The same for Telegram and for an exchange.
 */
import { CallManager } from '../calls/call-manager';
import type { PhoneCall } from '../calls/phone-call';
import type { CliAccount } from './account';
import { aborted, delay, untilEnded, untilEstablished } from './call-events';
import { CallMonitor } from './call-monitor';
import { summariseCall, type CallSummary } from './call-summary';
import { showLiveProgress } from './live-progress';
import { ProgressLine } from './progress';
import { recordingTarget, type RecordingTarget } from './recording';

export interface RecordOptions {
  file: string;
  /** Only answer calls from this user (username, phone number or id); others ring on. */
  from?: string;
  /** Hang up after this many seconds of established call. */
  durationSeconds?: number;
  /** Give up when no call came within this many seconds. */
  waitSeconds?: number;
  /** Aborting hangs up, or stops waiting (Ctrl-C). */
  signal?: AbortSignal;
}

export type RecordStop = 'callEnded' | 'duration' | 'interrupted' | 'notConnected';

export interface RecordResult extends Partial<CallSummary> {
  file: string;
  encoder: RecordingTarget['encoder'];
  /** Whether a call came (and was accepted) at all. */
  answered: boolean;
  stoppedBy: RecordStop | 'noCall';
  /** A call was established and recorded until it ended or the duration passed. */
  ok: boolean;
}

/**
 * Calls that do not match --from are left alone, so they ring on the account's other devices;
 * room for a few of them keeps the awaited caller from being declined as busy meanwhile.
 */
const ignoredCallsAllowed = 4;

function nextCall(
  manager: CallManager,
  fromUserId: bigint | undefined,
  give: { waitSeconds?: number; signal?: AbortSignal },
): Promise<PhoneCall | undefined> {
  const timer = delay(give.waitSeconds);
  let onCall: (call: PhoneCall) => void = () => undefined;
  const incoming = new Promise<PhoneCall>((resolve) => {
    onCall = (call) => {
      if (fromUserId === undefined || call.peerUserId === fromUserId) resolve(call);
    };
    manager.on('incomingCall', onCall);
  });
  return Promise.race([
    incoming,
    timer.elapsed.then(() => undefined),
    aborted(give.signal).then(() => undefined),
  ]).finally(() => {
    timer.stop();
    manager.off('incomingCall', onCall);
  });
}

export async function recordIncoming(
  account: CliAccount,
  options: RecordOptions,
): Promise<RecordResult> {
  const manager = new CallManager({
    transport: account.transport,
    maxConcurrentCalls: 1 + ignoredCallsAllowed,
  });
  const target = recordingTarget(options.file);
  try {
    const fromUserId =
      options.from === undefined ? undefined : (await account.resolveUser(options.from)).user_id;
    const waiting = new ProgressLine();
    const waitStarted = performance.now();
    const stopWaitingLine = showLiveProgress(
      () => ({
        elapsedSeconds: (performance.now() - waitStarted) / 1000,
        status: 'waiting for a call…',
      }),
      { line: waiting },
    );
    const call = await nextCall(manager, fromUserId, options).finally(stopWaitingLine);
    const base = { file: options.file, encoder: target.encoder };
    if (call === undefined) {
      const interrupted = options.signal?.aborted === true;
      return {
        ...base,
        answered: false,
        stoppedBy: interrupted ? 'interrupted' : 'noCall',
        ok: false,
      };
    }

    const monitor = new CallMonitor(call);
    const stopProgress = showLiveProgress(() => monitor.frame());
    const ended = untilEnded(call);
    let stoppedBy: RecordStop = 'notConnected';
    try {
      call.on('state', () => {
        if (monitor.engine !== undefined) target.attach(monitor.engine);
      });
      await call.accept({ audio: target.audio });
      const connected = await Promise.race([
        untilEstablished(call),
        aborted(options.signal).then(() => false),
      ]);
      if (connected) {
        const timer = delay(options.durationSeconds);
        stoppedBy = await Promise.race([
          ended.then((): RecordStop => 'callEnded'),
          timer.elapsed.then((): RecordStop => 'duration'),
          aborted(options.signal).then((): RecordStop => 'interrupted'),
        ]);
        timer.stop();
      } else if (options.signal?.aborted === true) {
        stoppedBy = 'interrupted';
      }
    } finally {
      await call.hangUp();
      await ended;
      stopProgress();
      await target.finish();
    }
    const summary = summariseCall(call, monitor);
    return {
      ...base,
      ...summary,
      answered: true,
      stoppedBy,
      ok:
        (stoppedBy === 'callEnded' || stoppedBy === 'duration') &&
        summary.ended.error === undefined,
    };
  } finally {
    await manager.close();
  }
}
