/**
 * One Telegram 1:1 call, as the application holds it: its state, its key's emoji, the
 * actions (accept, reject, hang up, mute, rate) and typed events. CallManager creates it.
 */
import type { CallEngine, ProtocolVersion } from '../engine/types';
import type { CallSession } from './call-session';
import type { RejectOptions } from './discard-reasons';
import type { CallEndInfo, CallState, PhoneCallEvents } from './events';
import type { CallMediaOptions } from './options';
import type { RatingOptions } from './rating';
import type { MappedRtcServer } from './rtc-servers';
import { TypedEmitter } from './typed-emitter';

export class PhoneCall extends TypedEmitter<PhoneCallEvents> {
  readonly #session: CallSession;

  /** @internal Calls are created by CallManager (call() and the incomingCall event). */
  constructor(session: CallSession) {
    super();
    this.#session = session;
    session.attach((event, ...args) => {
      this.emit(event, ...args);
    });
  }

  get direction(): 'outgoing' | 'incoming' {
    return this.#session.direction;
  }

  /** The other party's user id. */
  get peerUserId(): bigint {
    return this.#session.peerUserId;
  }

  /** Telegram's call id, once the server assigned it. */
  get id(): bigint | undefined {
    return this.#session.id;
  }

  get state(): CallState {
    return this.#session.state;
  }

  /** The four emoji to compare with the peer, once the key is verified. */
  get emoji(): readonly string[] | undefined {
    return this.#session.emoji;
  }

  /** key_fingerprint of the verified key. */
  get keyFingerprint(): bigint | undefined {
    return this.#session.keyFingerprint;
  }

  /** The tgcalls version the engine runs. */
  get version(): ProtocolVersion | undefined {
    return this.#session.version;
  }

  /** phoneCall.conference_supported: the peer can upgrade the call to a conference. */
  get conferenceSupported(): boolean {
    return this.#session.conferenceSupported;
  }

  /** phoneCall.p2p_allowed, handed to the engine as enableP2P. */
  get p2pAllowed(): boolean | undefined {
    return this.#session.p2pAllowed;
  }

  /** phoneCall.connections mapped as tdesktop maps them, reflectors included. */
  get rtcServers(): readonly MappedRtcServer[] {
    return this.#session.rtcServers;
  }

  /** Whether either side had video at any point. */
  get hadVideo(): boolean {
    return this.#session.hadVideo;
  }

  /** How the call ended, once it has. */
  get endInfo(): CallEndInfo | undefined {
    return this.#session.endInfo;
  }

  /**
   * Answers an incoming call. Throws CALL_INVALID_STATE unless the call is `incoming`;
   * the returned promise settles (never rejects) once phone.acceptCall is answered;
   * failures arrive as `error` and `ended` events.
   */
  accept(media?: CallMediaOptions): Promise<void> {
    return this.#session.accept(media);
  }

  /**
   * The call's engine once the key is verified (state `connecting` and later): with the
   * default native engine a NativeCallEngine, for pushAudio(), getStats() and audio events.
   */
  get engine(): CallEngine | undefined {
    return this.#session.engineInstance;
  }

  /**
   * Declines an incoming call: discardCall with reason busy, as official clients decline
   * (spec §8.6), or `{ reason: 'hangup' }`. Throws CALL_INVALID_STATE unless `incoming`.
   */
  reject(options?: RejectOptions): Promise<void> {
    return this.#session.reject(options);
  }

  /**
   * Ends an accepted call because it moves to the conference call `slug` (joining it is the
   * application's business): discardCall with reason migrateConferenceCall{slug} and the
   * video flag set; the peer ends with reason `migrateConferenceCall` and `conferenceSlug`.
   * Throws CALL_INVALID_STATE before the callee accepted. Not expressible through GramJS
   * (layer 198): there the call is discarded as hangup, with a warning in the log.
   */
  migrateToConference(slug: string): Promise<void> {
    return this.#session.migrateToConference(slug);
  }

  /**
   * Ends the call from any state: the engine stops first, then phone.discardCall (reason
   * missed while a caller still waits for an answer, hangup otherwise). Resolves once ended.
   */
  hangUp(): Promise<void> {
    return this.#session.hangUp();
  }

  setMuted(muted: boolean): void {
    this.#session.setMuted(muted);
  }

  /**
   * Rates the ended call with phone.setCallRating: `rating` is an integer 1–5 (RangeError
   * otherwise); the comment is sent only below 5; problems are appended as #hashtags.
   * user_initiative is set unless the server asked for the rating (`ratingRequested`).
   */
  rate(rating: number, options: RatingOptions = {}): Promise<void> {
    return this.#session.rate(rating, options);
  }
}
