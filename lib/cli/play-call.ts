/**
 * `play`, once connected: calls a user, plays a file into the call from the moment it is
 * established, and hangs up when the file ends (or after --duration, or never with --loop
 * until the other side hangs up or Ctrl-C). The same for Telegram and for an exchange.
 */
import { CallManager } from '../calls/call-manager';
import type { CliAccount } from './account';
import { aborted, delay, untilEnded, untilEstablished } from './call-events';
import { CallMonitor } from './call-monitor';
import { summariseCall, type CallSummary } from './call-summary';
import { showLiveProgress } from './live-progress';
import { startPlayback, type Playback } from './playback';

export interface PlayOptions {
  /** The user to call, as typed: username, phone number or id. */
  user: string;
  file: string;
  /** Start the file again when it ends. */
  loop: boolean;
  /** Hang up after this many seconds of established call. */
  durationSeconds?: number;
  /** Aborting hangs up (Ctrl-C). */
  signal?: AbortSignal;
}

export type PlayStop = 'fileEnded' | 'duration' | 'callEnded' | 'interrupted' | 'notConnected';

export interface PlayResult extends CallSummary {
  file: string;
  /** Who decoded the file: the engine (WAV) or ffmpeg. */
  decoder: Playback['decoder'] | undefined;
  stoppedBy: PlayStop;
  /** Why the file could not be played, when it could not. */
  playbackError: string | undefined;
  /** Connected and played until the file ended, the duration passed or the peer hung up. */
  ok: boolean;
}

export async function playToUser(account: CliAccount, options: PlayOptions): Promise<PlayResult> {
  const manager = new CallManager({ transport: account.transport });
  try {
    const user = await account.resolveUser(options.user);
    const call = manager.call(user);
    const monitor = new CallMonitor(call);
    const stopProgress = showLiveProgress(() => monitor.frame());
    const ended = untilEnded(call);
    let playback: Playback | undefined;
    let playbackError: string | undefined;
    let stoppedBy: PlayStop = 'notConnected';
    try {
      const connected = await Promise.race([
        untilEstablished(call),
        aborted(options.signal).then(() => false),
      ]);
      const engine = monitor.engine;
      if (connected && engine !== undefined) {
        playback = startPlayback(engine, options.file, options.loop);
        const timer = delay(options.durationSeconds);
        stoppedBy = await Promise.race([
          playback.finished.then((outcome): PlayStop => {
            playbackError = outcome.error;
            return 'fileEnded';
          }),
          timer.elapsed.then((): PlayStop => 'duration'),
          ended.then((): PlayStop => 'callEnded'),
          aborted(options.signal).then((): PlayStop => 'interrupted'),
        ]);
        timer.stop();
      } else if (options.signal?.aborted === true) {
        stoppedBy = 'interrupted';
      }
    } finally {
      playback?.stop();
      await call.hangUp();
      await ended;
      stopProgress();
    }
    const summary = summariseCall(call, monitor);
    return {
      ...summary,
      file: options.file,
      decoder: playback?.decoder,
      stoppedBy,
      playbackError,
      ok:
        stoppedBy !== 'notConnected' &&
        stoppedBy !== 'interrupted' &&
        playbackError === undefined &&
        summary.ended.error === undefined,
    };
  } finally {
    await manager.close();
  }
}
