/**
 * The state machine of one call (spec §8.2–8.7): the key exchange on either side, the
 * per-side checks, the engine's start from the final phoneCall, timeouts and the end.
 *
 * Every failure funnels into fail(): an `error` event, then a discardCall with reason
 * disconnect, then `ended`. Nothing here throws into the manager or leaves a rejection.
 *
 * The engine's wiring (its options, early signaling, sendSignalingData) is in
 * call-engine-link.ts and the requests of the end (discardCall, saveCallDebug, the end info)
 * in call-ending.ts; this file keeps the order in which things happen.
 */
import { randomInt } from 'node:crypto';

import { DhExchange, checkPublicValue, verifyPublicValueHash, type CallKey } from '../crypto';
import type { CallEngine, EngineState, ProtocolVersion } from '../engine/types';
import { TgCallsError } from '../errors';
import type {
  InputPhoneCall,
  InputUser,
  PhoneCall as TlPhoneCall,
  PhoneCallDiscarded,
  PhoneCallFinal,
  PhoneCallRequested,
  PhoneCallWaiting,
} from '../tl';
import { invalidType, outOfRange } from './argument-errors';
import { CallEngineLink, engineOptionsFor } from './call-engine-link';
import {
  discardCall,
  endInfoFor,
  phoneCallsIn,
  saveCallDebug,
  type EndRequest,
} from './call-ending';
import { asTgCallsError } from './call-failure';
import { withTimeout, CallTimer } from './call-timer';
import type { DhConfigSource } from './dh-config-source';
import {
  discardReasonFromTl,
  type ReceivedDiscardReason,
  type RejectOptions,
} from './discard-reasons';
import type { CallEndInfo, CallState, EmitCallEvent } from './events';
import { chooseProtocolVersion, localProtocol } from './local-protocol';
import type { Log } from './logger';
import type { CallMediaOptions, ResolvedCallOptions } from './options';
import { ratingComment, type RatingOptions } from './rating';
import { invokePhone } from './rpc';
import { mapConnections, type MappedRtcServer } from './rtc-servers';
import type { CallTransport } from './transport';

export interface CallSessionDeps {
  transport: CallTransport;
  options: ResolvedCallOptions;
  dhConfig: DhConfigSource;
  log: Log;
  /** This account's user id (admin_id / participant_id checks). */
  selfUserId: () => Promise<bigint>;
  /** The call has its id (outgoing: once phone.requestCall answered). */
  registered: (session: CallSession) => void;
  /** Incoming: the device confirmed the call with phone.receivedCall. */
  received: (session: CallSession) => void;
  ended: (session: CallSession) => void;
}

function unexpected(name: string, where: string): TgCallsError {
  return new TgCallsError('CALL_UNEXPECTED_OBJECT', `unexpected ${name} ${where}`);
}

export class CallSession {
  readonly direction: 'outgoing' | 'incoming';
  readonly peerUserId: bigint;
  state: CallState;
  id: bigint | undefined;
  keyFingerprint: bigint | undefined;
  emoji: readonly string[] | undefined;
  version: ProtocolVersion | undefined;
  conferenceSupported = false;
  p2pAllowed: boolean | undefined;
  rtcServers: readonly MappedRtcServer[] = [];
  endInfo: CallEndInfo | undefined;

  private emit: EmitCallEvent = () => undefined;
  private readonly log: Log;
  private selfUserId: bigint | undefined;
  private video: boolean;
  private accessHash: bigint | undefined;
  private p: Uint8Array | undefined;
  private dh: DhExchange | undefined;
  private gAHash: Uint8Array | undefined;
  /** The caller's g_a: ours when outgoing, phoneCall.g_a_or_b when incoming. */
  private gA: Uint8Array | undefined;
  private key: CallKey | undefined;
  private readonly engineLink: CallEngineLink;
  private media: CallMediaOptions = {};
  private readonly timer = new CallTimer();
  private establishedAt: number | undefined;
  private acceptSent = false;
  private confirmSent = false;
  private finalReceived = false;
  /** The request in flight whose answer may give the call its id (requestCall, acceptCall). */
  private pendingStep: Promise<void> | undefined;
  private ending: Promise<void> | undefined;
  private serverDiscard: PhoneCallDiscarded | undefined;
  private ratingRequestedByServer = false;

  private constructor(
    private readonly deps: CallSessionDeps,
    direction: 'outgoing' | 'incoming',
    peerUserId: bigint,
    video: boolean,
  ) {
    this.direction = direction;
    this.peerUserId = peerUserId;
    this.video = video;
    this.state = direction === 'outgoing' ? 'requesting' : 'incoming';
    this.log = deps.log;
    this.engineLink = new CallEngineLink({
      transport: deps.transport,
      engineFactory: deps.options.engineFactory,
      log: deps.log,
      // Through this.emit at each event: attach() replaces the emitter after construction.
      emit: (event, ...args) => {
        this.emit(event, ...args);
      },
      engineState: (state) => {
        this.onEngineState(state);
      },
      fail: (error) => {
        this.fail(error);
      },
      hasBegunEnding: () => this.hasBegunEnding(),
      hasEnded: () => this.endInfo !== undefined,
      peer: () => this.inputPhoneCall(),
    });
  }

  /** Starts a call to `user`: getDhConfig, then phone.requestCall. */
  static outgoing(deps: CallSessionDeps, user: InputUser, video: boolean): CallSession {
    const session = new CallSession(deps, 'outgoing', user.user_id, video);
    session.pendingStep = session.run(() => session.request(user));
    return session;
  }

  /** A phoneCallRequested for us: confirm it with phone.receivedCall, then ring. */
  static incoming(
    deps: CallSessionDeps,
    requested: PhoneCallRequested,
    selfUserId: bigint,
  ): CallSession {
    const session = new CallSession(deps, 'incoming', requested.admin_id, requested.video === true);
    session.selfUserId = selfUserId;
    session.id = requested.id;
    session.accessHash = requested.access_hash;
    // An incoming call nobody answers within call_ring_timeout_ms is declined as busy: that
    // is what tdesktop sends when its ring timer fires (spec §8.5; §8.6: "callee, not yet
    // answered (declining) → Busy"; TDLib declines with Busy too). `missed` is the caller's.
    session.timer.start(deps.options.timeouts.ringMs, () => {
      void session.finish({ reason: 'busy', endedBy: 'local', discard: true });
    });
    if (requested.g_a_hash.length !== 32) {
      session.fail(new TgCallsError('TL_MALFORMED', 'phoneCallRequested.g_a_hash is not 32 bytes'));
      return session;
    }
    session.gAHash = requested.g_a_hash;
    void session.run(async () => {
      await invokePhone(deps.transport, {
        _: 'phone.receivedCall',
        peer: session.inputPhoneCall(),
      });
      if (session.ending === undefined) deps.received(session);
    });
    return session;
  }

  /** The public call object's emit, attached once it exists. */
  attach(emit: EmitCallEvent): void {
    this.emit = emit;
  }

  /** Whether the call has begun ending (hang-up, failure, discard). A method, not a field
   * check, so that TypeScript does not carry a narrowing across awaits. */
  private hasBegunEnding(): boolean {
    return this.ending !== undefined;
  }

  get isFinished(): boolean {
    return this.endInfo !== undefined;
  }

  /** The running engine (media access), once the final phoneCall has started it. */
  get engineInstance(): CallEngine | undefined {
    return this.engineLink.instance;
  }

  /** Media of an outgoing call, set before its engine starts. */
  setMedia(media: CallMediaOptions): void {
    this.media = media;
  }

  /** Whether either side had video at any point (the discardCall video flag). */
  get hadVideo(): boolean {
    return this.video || this.engineLink.hadVideo;
  }

  // ---- user actions -------------------------------------------------------------------

  accept(media: CallMediaOptions = {}): Promise<void> {
    if (this.state !== 'incoming' || this.hasBegunEnding()) {
      throw new TgCallsError(
        'CALL_INVALID_STATE',
        `accept() needs an incoming call, not ${this.state}`,
      );
    }
    this.media = media;
    this.setState('accepting');
    this.startKeyExchangeTimer();
    this.pendingStep = this.run(() => this.acceptCall());
    return this.pendingStep;
  }

  /**
   * Declines an incoming call. The default reason is busy: a callee that declines before
   * answering sends phoneCallDiscardReasonBusy in the official clients (spec §8.6, tdesktop's
   * hang-up table: "callee, not yet answered (declining) → Busy"; TDLib: Declined, sent as
   * Busy), and the caller's app shows "busy"/"declined". `hangup` is accepted for callers
   * that want the plain "call ended" instead.
   */
  reject(options: RejectOptions = {}): Promise<void> {
    if (this.state !== 'incoming' || this.hasBegunEnding()) {
      throw new TgCallsError(
        'CALL_INVALID_STATE',
        `reject() needs an incoming call, not ${this.state}`,
      );
    }
    const reason = options.reason ?? 'busy';
    // Checked at run time as well: JavaScript callers are not held by the type.
    if (!(['busy', 'hangup'] as readonly string[]).includes(reason)) {
      throw outOfRange(`reject() takes reason 'busy' or 'hangup', got ${JSON.stringify(reason)}`);
    }
    return this.finish({ reason, endedBy: 'local', discard: true });
  }

  /**
   * Ends an accepted call because it moves to the conference `slug`: discardCall with reason
   * phoneCallDiscardReasonMigrateConferenceCall{slug} and the video flag, which the API text
   * sets "when migrating to a conference call" whatever the media was (telegram-phone-api.txt).
   */
  migrateToConference(slug: string): Promise<void> {
    if (typeof slug !== 'string' || slug === '') {
      throw invalidType('migrateToConference() needs the conference slug, a non-empty string');
    }
    const accepted = ['exchangingKeys', 'connecting', 'established', 'reconnecting'];
    if (!accepted.includes(this.state) || this.hasBegunEnding()) {
      throw new TgCallsError(
        'CALL_INVALID_STATE',
        `migrateToConference() needs an accepted call, not ${this.state}`,
      );
    }
    return this.finish({
      reason: 'migrateConferenceCall',
      conferenceSlug: slug,
      endedBy: 'local',
      discard: true,
    });
  }

  hangUp(): Promise<void> {
    if (this.ending !== undefined) return this.ending;
    // A caller that gives up before the callee answered leaves a missed call (tdesktop).
    const unanswered =
      this.direction === 'outgoing' && ['requesting', 'waiting', 'ringing'].includes(this.state);
    return this.finish({
      reason: unanswered ? 'missed' : 'hangup',
      endedBy: 'local',
      discard: true,
    });
  }

  setMuted(muted: boolean): void {
    this.engineLink.setMuted(muted);
  }

  rate(rating: number, options: RatingOptions): Promise<void> {
    const comment = ratingComment(rating, options, this.hadVideo);
    if (this.endInfo === undefined || this.id === undefined) {
      throw new TgCallsError('CALL_INVALID_STATE', 'a call can be rated once it has ended');
    }
    return invokePhone(this.deps.transport, {
      _: 'phone.setCallRating',
      // Set only when the user rates on their own, never in answer to need_rating.
      user_initiative: this.ratingRequestedByServer ? undefined : true,
      peer: this.inputPhoneCall(),
      rating,
      comment,
    }).then(() => undefined);
  }

  // ---- input from the manager ----------------------------------------------------------

  /** A PhoneCall constructor for this call, from an update or a method result. */
  handlePhoneCall(call: TlPhoneCall): void {
    try {
      this.process(call);
    } catch (error) {
      this.fail(error);
    }
  }

  handleSignalingData(data: Uint8Array): void {
    this.engineLink.receive(data);
  }

  /** Ends the call because of a failure: `error`, discardCall(disconnect), `ended`. */
  fail(error: unknown): void {
    const typed = asTgCallsError(error);
    if (this.hasBegunEnding()) {
      this.log.debug(`${typed.code} after the call began ending: ignored`);
      return;
    }
    this.log.warn(`call failed: ${typed.code}: ${typed.message}`);
    this.emit('error', typed);
    void this.finish({ reason: 'disconnect', endedBy: 'local', discard: true, error: typed });
  }

  // ---- the key exchange ------------------------------------------------------------------

  private async request(user: InputUser): Promise<void> {
    this.selfUserId = await this.deps.selfUserId();
    const dh = await this.deps.dhConfig.next();
    if (this.hasBegunEnding()) return;
    this.p = dh.p;
    this.dh = new DhExchange(dh.p, dh.g, dh.random);
    this.gA = this.dh.publicValue;
    const result = await invokePhone(this.deps.transport, {
      _: 'phone.requestCall',
      video: this.video ? true : undefined,
      user_id: user,
      random_id: randomInt(-0x80000000, 0x80000000),
      g_a_hash: this.dh.publicValueHash,
      protocol: localProtocol(this.deps.options.protocolVersions),
    });
    const call = result.phone_call;
    if (call._ !== 'phoneCallWaiting' && call._ !== 'phoneCallDiscarded') {
      throw unexpected(call._, 'as the result of phone.requestCall');
    }
    this.id = call.id;
    if (call._ === 'phoneCallWaiting') {
      this.checkParties(call);
      this.accessHash = call.access_hash;
    }
    this.log.debug(`phone.requestCall: call ${call.id} (${call._})`);
    this.deps.registered(this);
    // Hung up while the request was in flight: finish() discards now that the id is known.
    if (!this.hasBegunEnding()) this.process(call);
  }

  private async acceptCall(): Promise<void> {
    const dh = await this.deps.dhConfig.next();
    if (this.hasBegunEnding()) return;
    this.p = dh.p;
    this.dh = new DhExchange(dh.p, dh.g, dh.random);
    this.acceptSent = true;
    const result = await invokePhone(this.deps.transport, {
      _: 'phone.acceptCall',
      peer: this.inputPhoneCall(),
      g_b: this.dh.publicValue,
      protocol: localProtocol(this.deps.options.protocolVersions),
    });
    const call = result.phone_call;
    if (!['phoneCallWaiting', 'phoneCall', 'phoneCallDiscarded'].includes(call._)) {
      throw unexpected(call._, 'as the result of phone.acceptCall');
    }
    this.process(call);
  }

  private async confirm(gB: Uint8Array): Promise<void> {
    const { p, dh } = this.requireKeyExchange();
    const gA = this.gA;
    if (gA === undefined) throw new TgCallsError('INTERNAL_ERROR', 'g_a missing');
    checkPublicValue(p, gB);
    const key = dh.computeKey(gB);
    this.key = key;
    this.releaseDh();
    this.confirmSent = true;
    const result = await invokePhone(this.deps.transport, {
      _: 'phone.confirmCall',
      peer: this.inputPhoneCall(),
      g_a: gA,
      key_fingerprint: key.fingerprint(),
      protocol: localProtocol(this.deps.options.protocolVersions),
    });
    const call = result.phone_call;
    if (call._ !== 'phoneCall' && call._ !== 'phoneCallDiscarded') {
      throw unexpected(call._, 'as the result of phone.confirmCall');
    }
    this.process(call);
  }

  private process(call: TlPhoneCall): void {
    if (this.endInfo !== undefined) {
      this.log.debug(`${call._} for an ended call dropped`);
      return;
    }
    if (call._ === 'phoneCallDiscarded') {
      this.onDiscarded(call);
      return;
    }
    if (call._ === 'phoneCallEmpty' || this.hasBegunEnding()) {
      this.log.debug(`${call._} ignored`);
      return;
    }
    if (this.accessHash !== undefined && call.access_hash !== this.accessHash) {
      throw new TgCallsError(
        'CALL_ACCESS_HASH_MISMATCH',
        `${call._}.access_hash is not the call's`,
      );
    }
    this.checkParties(call);
    switch (call._) {
      case 'phoneCallWaiting':
        this.onWaiting(call);
        return;
      case 'phoneCallRequested':
        if (this.direction === 'outgoing') throw unexpected(call._, 'for an outgoing call');
        this.log.debug('phoneCallRequested again: ignored');
        return;
      case 'phoneCallAccepted':
        if (this.direction === 'incoming') throw unexpected(call._, 'for an incoming call');
        if (this.state !== 'waiting' && this.state !== 'ringing') {
          this.log.debug(`phoneCallAccepted in state ${this.state}: ignored`);
          return;
        }
        this.setState('exchangingKeys');
        this.startKeyExchangeTimer();
        void this.run(() => this.confirm(call.g_b));
        return;
      case 'phoneCall':
        this.onFinal(call);
        return;
    }
  }

  private onWaiting(call: PhoneCallWaiting): void {
    if (this.direction === 'incoming') {
      // The result of acceptCall: our g_b is with the server, the caller confirms next.
      if (this.state === 'accepting') this.setState('exchangingKeys');
      return;
    }
    const ringing = call.receive_date !== undefined;
    if (this.state === 'requesting' || (this.state === 'waiting' && ringing)) {
      this.setState(ringing ? 'ringing' : 'waiting');
      const { receiveMs, ringMs } = this.deps.options.timeouts;
      this.timer.start(ringing ? ringMs : receiveMs, () => {
        void this.finish({ reason: 'missed', endedBy: 'local', discard: true });
      });
      return;
    }
    this.log.debug(`phoneCallWaiting in state ${this.state}: ignored`);
  }

  /** The final phoneCall: verify the key, show the emoji, start the engine (spec §8.3–8.4). */
  private onFinal(call: PhoneCallFinal): void {
    if (this.finalReceived) {
      this.log.debug('phoneCall again: ignored');
      return;
    }
    const sent = this.direction === 'outgoing' ? this.confirmSent : this.acceptSent;
    if (!sent)
      throw unexpected(
        'phoneCall',
        `before ${this.direction === 'outgoing' ? 'confirmCall' : 'acceptCall'}`,
      );
    this.finalReceived = true;
    this.timer.clear();
    const key =
      this.direction === 'outgoing' ? this.requireKey() : this.deriveCalleeKey(call.g_a_or_b);
    key.verifyFingerprint(call.key_fingerprint);
    const gA = this.gA ?? call.g_a_or_b;
    this.keyFingerprint = call.key_fingerprint;
    this.video ||= call.video === true;
    this.conferenceSupported = call.conference_supported === true;
    this.p2pAllowed = call.p2p_allowed === true;
    this.emoji = key.emojiFingerprint(gA);
    this.log.debug(`key verified (fingerprint ${call.key_fingerprint})`);
    this.emit('emoji', this.emoji, call.key_fingerprint);
    if (this.hasBegunEnding()) return; // an emoji listener hung up
    this.startEngine(call, key);
  }

  /** Callee: g_a must match the hash it committed to, and lie in range (spec §8.3). */
  private deriveCalleeKey(gA: Uint8Array): CallKey {
    const { p, dh } = this.requireKeyExchange();
    if (this.gAHash === undefined) throw new TgCallsError('INTERNAL_ERROR', 'g_a_hash missing');
    verifyPublicValueHash(gA, this.gAHash);
    checkPublicValue(p, gA);
    const key = dh.computeKey(gA);
    this.key = key;
    this.gA = gA;
    this.releaseDh();
    return key;
  }

  // ---- the engine ------------------------------------------------------------------------

  private startEngine(call: PhoneCallFinal, key: CallKey): void {
    const { options } = this.deps;
    this.version = chooseProtocolVersion(call.protocol, options.protocolVersions);
    const servers = mapConnections(call.connections);
    this.rtcServers = servers.all;
    // Connecting before the engine exists: it may report 'established' from start() or
    // from the replayed early signaling.
    this.setState('connecting');
    this.timer.start(options.timeouts.connectMs, () => {
      this.fail(new TgCallsError('CALL_CONNECT_TIMEOUT', 'the call did not connect in time'));
    });
    this.engineLink.start(
      engineOptionsFor(call, {
        key,
        version: this.version,
        rtcServers: servers.forEngine,
        isOutgoing: this.direction === 'outgoing',
        enableP2P: this.p2pAllowed === true,
        options,
        media: this.media,
        log: this.log,
      }),
    );
  }

  private onEngineState(state: EngineState): void {
    if (this.hasBegunEnding()) return;
    switch (state) {
      case 'established':
        this.timer.clear();
        this.establishedAt ??= Date.now();
        this.setState('established');
        return;
      case 'reconnecting':
        // Before the first connection the call is still connecting (10/11 report
        // Reconnecting first, spec §3.6).
        if (this.state === 'established') this.setState('reconnecting');
        return;
      case 'connecting':
        return;
      case 'failed':
        this.fail(new TgCallsError('CALL_ENGINE_FAILED', 'the call engine could not connect'));
        return;
    }
  }

  // ---- the end ---------------------------------------------------------------------------

  private onDiscarded(call: PhoneCallDiscarded): void {
    this.serverDiscard ??= call;
    if (this.hasBegunEnding()) return; // our own hang-up's echo: finish() reads its flags
    const received: ReceivedDiscardReason = discardReasonFromTl(call.reason);
    void this.finish({ ...received, endedBy: 'remote', discard: false });
  }

  private finish(request: EndRequest): Promise<void> {
    this.ending ??= this.end(request);
    return this.ending;
  }

  private async end(request: EndRequest): Promise<void> {
    this.timer.clear();
    const { discardTimeoutMs } = this.deps.options;
    if (request.discard && this.pendingStep !== undefined) {
      // requestCall may still give us the id the discard needs.
      await withTimeout(this.pendingStep, discardTimeoutMs, () => new Error('timeout')).catch(
        () => undefined,
      );
    }
    // The engine stops first, so that its final state (debug JSON) exists and no media
    // outlives the call on the server.
    const finalState = await this.engineLink.stop();
    if (request.discard && this.id !== undefined && this.serverDiscard === undefined) {
      const result = await discardCall({
        transport: this.deps.transport,
        log: this.log,
        request,
        peer: () => this.inputPhoneCall(),
        duration: this.localDuration(),
        hadVideo: this.hadVideo,
        timeoutMs: discardTimeoutMs,
      });
      // The phoneCallDiscarded in the result has need_rating / need_debug.
      if (result !== undefined) {
        for (const call of phoneCallsIn(result, this.id)) this.handlePhoneCall(call);
      }
    }
    const info = endInfoFor(request, this.serverDiscard, {
      duration: this.localDuration(),
      hadVideo: this.hadVideo,
      finalState,
    });
    this.endInfo = info;
    this.releaseDh();
    this.key?.release();
    this.log.info(`ended: ${info.reason} (${info.endedBy}), ${info.duration} s`);
    this.setState('ended');
    this.deps.ended(this);
    this.emit('ended', info);
    if (info.needRating) {
      this.ratingRequestedByServer = true;
      this.emit('ratingRequested');
    }
    if (info.needDebug) {
      const saved = await saveCallDebug(
        this.deps.transport,
        this.log,
        () => this.inputPhoneCall(),
        finalState,
      );
      if (saved) this.emit('debugSaved');
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** Runs one asynchronous step; a failure ends the call (and never rejects). */
  private run(step: () => Promise<void>): Promise<void> {
    return step().catch((error: unknown) => {
      this.fail(error);
    });
  }

  private setState(state: CallState): void {
    const previous = this.state;
    if (previous === state) return;
    this.state = state;
    this.log.debug(`state ${previous} → ${state}`);
    this.emit('state', state, previous);
  }

  private startKeyExchangeTimer(): void {
    this.timer.start(this.deps.options.timeouts.receiveMs, () => {
      this.fail(
        new TgCallsError('CALL_KEY_EXCHANGE_TIMEOUT', 'the key exchange did not complete in time'),
      );
    });
  }

  /** admin_id is the caller, participant_id the callee (tdesktop fails the call otherwise). */
  private checkParties(call: { _: string; admin_id: bigint; participant_id: bigint }): void {
    const self = this.selfUserId;
    if (self === undefined) throw new TgCallsError('INTERNAL_ERROR', 'own user id unknown');
    const [admin, participant] =
      this.direction === 'outgoing' ? [self, this.peerUserId] : [this.peerUserId, self];
    if (call.admin_id !== admin || call.participant_id !== participant) {
      throw new TgCallsError(
        'CALL_PARTICIPANT_MISMATCH',
        `${call._} names other parties (admin ${call.admin_id}, participant ${call.participant_id})`,
      );
    }
  }

  private inputPhoneCall(): InputPhoneCall {
    if (this.id === undefined || this.accessHash === undefined) {
      throw new TgCallsError('INTERNAL_ERROR', 'the call has no id yet');
    }
    return { _: 'inputPhoneCall', id: this.id, access_hash: this.accessHash };
  }

  private requireKeyExchange(): { p: Uint8Array; dh: DhExchange } {
    if (this.p === undefined || this.dh === undefined) {
      throw new TgCallsError('INTERNAL_ERROR', 'no key exchange in progress');
    }
    return { p: this.p, dh: this.dh };
  }

  private requireKey(): CallKey {
    if (this.key === undefined) throw new TgCallsError('INTERNAL_ERROR', 'no call key');
    return this.key;
  }

  private releaseDh(): void {
    this.dh?.release();
    this.dh = undefined;
  }

  private localDuration(): number {
    return this.establishedAt === undefined
      ? 0
      : Math.round((Date.now() - this.establishedAt) / 1000);
  }
}
