/** The public event API of a call and of the manager. */
import type {
  AudioLevels,
  EngineFinalState,
  RemoteAudioState,
  RemoteVideoState,
} from '../engine/types';
import type { TgCallsError } from '../errors';
import type { DiscardReason } from './discard-reasons';
import type { PhoneCall } from './phone-call';

/**
 * Where a call is. Caller: requesting → waiting → ringing → exchangingKeys → connecting →
 * established (⇄ reconnecting) → ended. Callee: incoming → accepting → exchangingKeys →
 * connecting → established (⇄ reconnecting) → ended. Any state can go to ended.
 *
 * - requesting: fetching the DH config and invoking phone.requestCall
 * - waiting: the server has the call; the callee's device has not confirmed it yet
 * - ringing: the callee's device rings (phoneCallWaiting.receive_date is set)
 * - incoming: a call for us; accept() or reject() it
 * - accepting: accept() was called; fetching the DH config, invoking phone.acceptCall
 * - exchangingKeys: g_a/g_b travel; waiting for the final phoneCall
 * - connecting: the key is verified and the engine runs, not connected yet
 * - established: media flows
 * - reconnecting: the engine lost its connection after being established
 * - ended: the call is over (see the `ended` event)
 */
export type CallState =
  | 'requesting'
  | 'waiting'
  | 'ringing'
  | 'incoming'
  | 'accepting'
  | 'exchangingKeys'
  | 'connecting'
  | 'established'
  | 'reconnecting'
  | 'ended';

export interface CallEndInfo {
  /** The server's reason when phoneCallDiscarded carried one, else the one this side sent. */
  reason: DiscardReason | 'unspecified';
  /** The conference to join when reason is migrateConferenceCall. */
  conferenceSlug?: string;
  /** Seconds the call was established (the server's figure when it sent one). */
  duration: number;
  /** Who ended it: this side (hang-up, reject, timeout, failure) or the peer/server. */
  endedBy: 'local' | 'remote';
  /** Set when the call ended because of a failure (also emitted as `error`). */
  error?: TgCallsError;
  needRating: boolean;
  needDebug: boolean;
  /** Whether either side had video at any point (the discardCall video flag). */
  hadVideo: boolean;
  /** The engine's final state, when an engine ran. */
  engineFinalState?: EngineFinalState;
}

export interface PhoneCallEvents {
  state: (state: CallState, previous: CallState) => void;
  signalBars: (bars: 0 | 1 | 2 | 3 | 4) => void;
  remoteMediaState: (audio: RemoteAudioState, video: RemoteVideoState) => void;
  /**
   * The engine's audio levels while it runs (the native engine: every 100 ms): peaks of the
   * last 100 ms, 0..1, `outgoing` for what this side sends, `incoming` for what it hears.
   */
  audioLevel: (levels: AudioLevels) => void;
  /** The key is verified: show these four emoji; both sides see the same ones. */
  emoji: (emoji: readonly string[], keyFingerprint: bigint) => void;
  ended: (info: CallEndInfo) => void;
  /** The server asks for a rating (need_rating): answer with call.rate(). */
  ratingRequested: () => void;
  /** phone.saveCallDebug succeeded (need_debug). */
  debugSaved: () => void;
  /** A failure that ends the call; `ended` follows. */
  error: (error: TgCallsError) => void;
}

export interface CallManagerEvents {
  /** A call for this account that the device has confirmed (phone.receivedCall). */
  incomingCall: (call: PhoneCall) => void;
}

/** How the call layer raises a PhoneCallEvents event on the public call object. */
export type EmitCallEvent = <E extends keyof PhoneCallEvents>(
  event: E,
  ...args: Parameters<PhoneCallEvents[E]>
) => void;
