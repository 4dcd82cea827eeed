/**
 * One per Telegram account: starts outgoing calls, turns phoneCallRequested into incoming
 * calls, and routes every phone update to the call it belongs to.
 */
import { TgCallsError } from '../errors';
import { readPhoneUpdate, type InputUser, type PhoneCallRequested, type PhoneUpdate } from '../tl';
import { CallSession, type CallSessionDeps } from './call-session';
import { DhConfigSource } from './dh-config-source';
import { discardReasonToTl } from './discard-reasons';
import type { CallManagerEvents } from './events';
import { Log } from './logger';
import {
  resolveCallOptions,
  type CallManagerOptions,
  type CallMediaOptions,
  type ResolvedCallOptions,
} from './options';
import { PhoneCall } from './phone-call';
import { invokePhone } from './rpc';
import type { CallTransport } from './transport';
import { TypedEmitter } from './typed-emitter';

const phoneUpdateNames: readonly unknown[] = ['updatePhoneCall', 'updatePhoneCallSignalingData'];
/** Updates for not-yet-known call ids kept while a phone.requestCall is in flight. */
const maxOrphanUpdates = 64;
/** Ids of ended calls remembered, so that late updates for them are logged as such. */
const maxEndedIds = 256;

/** Adds `id` to a set that keeps only its newest `limit` entries. */
function remember(set: Set<bigint>, id: bigint, limit: number): void {
  set.add(id);
  if (set.size > limit) set.delete(set.values().next().value ?? id);
}

/** The call id an invalid update names, if it names one, so that call can fail. */
function callIdOf(update: unknown): bigint | undefined {
  const record = update as { phone_call?: { id?: unknown }; phone_call_id?: unknown };
  const id = record.phone_call?.id ?? record.phone_call_id;
  return typeof id === 'bigint' ? id : undefined;
}

export class CallManager extends TypedEmitter<CallManagerEvents> {
  readonly #transport: CallTransport;
  readonly #options: ResolvedCallOptions;
  readonly #log: Log;
  readonly #dhConfig: DhConfigSource;
  readonly #deps: CallSessionDeps;
  readonly #byId = new Map<bigint, CallSession>();
  /** Outgoing calls whose requestCall has not been answered yet. */
  readonly #unregistered = new Set<CallSession>();
  readonly #calls = new Map<CallSession, PhoneCall>();
  readonly #orphans: PhoneUpdate[] = [];
  /** Incoming calls declined as busy, so that repeated phoneCallRequested are not re-declined. */
  readonly #declined = new Set<bigint>();
  readonly #ended = new Set<bigint>();
  #selfUserId: Promise<bigint> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;
  #closed = false;

  constructor(options: CallManagerOptions) {
    super();
    this.#transport = options.transport;
    this.#options = resolveCallOptions(options);
    this.#log = new Log(options.logger);
    this.#dhConfig = new DhConfigSource(this.#transport);
    this.#deps = {
      transport: this.#transport,
      options: this.#options,
      dhConfig: this.#dhConfig,
      log: this.#log,
      selfUserId: () => this.#self(),
      registered: (session) => {
        this.#register(session);
      },
      received: (session) => {
        const call = this.#calls.get(session);
        if (call !== undefined) this.emit('incomingCall', call);
      },
      ended: (session) => {
        this.#forget(session);
      },
    };
    this.#unsubscribe = this.#transport.subscribe?.((update) => {
      this.handleUpdate(update);
    });
  }

  /** Calls that have not ended. */
  get calls(): PhoneCall[] {
    return [...this.#calls.values()];
  }

  /** Calls `user`; the call starts in state `requesting`. Listen for its events right away. */
  call(user: InputUser, options: { video?: boolean; media?: CallMediaOptions } = {}): PhoneCall {
    if (this.#closed) throw new TgCallsError('CALL_INVALID_STATE', 'the CallManager is closed');
    const session = CallSession.outgoing(
      { ...this.#deps, log: this.#log.scoped(`call to ${user.user_id}: `) },
      user,
      options.video === true,
    );
    session.setMedia(options.media ?? {});
    const call = new PhoneCall(session);
    if (!session.isFinished) {
      this.#unregistered.add(session);
      this.#calls.set(session, call);
    }
    return call;
  }

  /**
   * Feeds one update (updatePhoneCall or updatePhoneCallSignalingData in this package's TL
   * form; anything else is ignored). Never throws: malformed updates end the call they name
   * with TL_MALFORMED, updates for unknown or ended calls are dropped with a debug log.
   */
  handleUpdate(update: unknown): void {
    if (this.#closed) return;
    if (typeof update !== 'object' || update === null) return;
    if (!phoneUpdateNames.includes((update as { _?: unknown })._)) return;
    // Updates are handled in arrival order, even when one needs the own user id first.
    this.#queue = this.#queue
      .then(() => this.#route(update))
      .catch((error: unknown) => {
        this.#log.warn(
          `update handling failed: ${error instanceof Error ? error.message : 'error'}`,
        );
      });
  }

  /** Hangs up every call and stops taking updates. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await Promise.all(this.calls.map((call) => call.hangUp()));
  }

  #self(): Promise<bigint> {
    this.#selfUserId ??= this.#transport.getSelfUserId();
    return this.#selfUserId;
  }

  async #route(raw: unknown): Promise<void> {
    let update: PhoneUpdate;
    try {
      update = readPhoneUpdate(raw, 'update');
    } catch (error) {
      const session = this.#sessionOf(callIdOf(raw));
      if (session !== undefined) session.fail(error);
      else
        this.#log.warn(
          `malformed update dropped: ${error instanceof Error ? error.message : 'error'}`,
        );
      return;
    }
    if (update._ === 'updatePhoneCallSignalingData') {
      const session = this.#sessionOf(update.phone_call_id);
      if (session !== undefined) session.handleSignalingData(update.data);
      else this.#log.debug(`signaling data for ${this.#describe(update.phone_call_id)} dropped`);
      return;
    }
    const phoneCall = update.phone_call;
    const session = this.#sessionOf(phoneCall.id);
    if (session !== undefined) {
      session.handlePhoneCall(phoneCall);
    } else if (this.#ended.has(phoneCall.id)) {
      this.#log.debug(`${phoneCall._} for ${this.#describe(phoneCall.id)} dropped`);
    } else if (phoneCall._ === 'phoneCallRequested') {
      await this.#incoming(phoneCall);
    } else if (this.#unregistered.size > 0 && this.#orphans.length < maxOrphanUpdates) {
      // Possibly about a call whose requestCall result is still on its way.
      this.#orphans.push(update);
    } else {
      this.#log.debug(`${phoneCall._} for unknown call ${phoneCall.id} dropped`);
    }
  }

  async #incoming(requested: PhoneCallRequested): Promise<void> {
    const self = await this.#self();
    if (requested.participant_id !== self) {
      this.#log.debug(`phoneCallRequested ${requested.id} is not for this account: dropped`);
      return;
    }
    if (this.#declined.has(requested.id) || this.#sessionOf(requested.id) !== undefined) return;
    if (this.#calls.size >= this.#options.maxConcurrentCalls) {
      await this.#declineBusy(requested);
      return;
    }
    const session = CallSession.incoming(
      { ...this.#deps, log: this.#log.scoped(`call ${requested.id}: `) },
      requested,
      self,
    );
    const call = new PhoneCall(session);
    if (!session.isFinished) {
      this.#byId.set(requested.id, session);
      this.#calls.set(session, call);
    }
  }

  /** Already in a call: decline with busy, as Telegram clients do. */
  async #declineBusy(requested: PhoneCallRequested): Promise<void> {
    remember(this.#declined, requested.id, 256);
    this.#log.info(`call ${requested.id} declined: busy`);
    try {
      await invokePhone(this.#transport, {
        _: 'phone.discardCall',
        peer: { _: 'inputPhoneCall', id: requested.id, access_hash: requested.access_hash },
        duration: 0,
        reason: discardReasonToTl('busy'),
        connection_id: 0n,
      });
    } catch (error) {
      this.#log.warn(`busy decline failed: ${error instanceof Error ? error.message : 'error'}`);
    }
  }

  /** "ended call 42" or "unknown call 42", for the log. */
  #describe(id: bigint): string {
    return `${this.#ended.has(id) ? 'ended' : 'unknown'} call ${id}`;
  }

  #sessionOf(id: bigint | undefined): CallSession | undefined {
    return id === undefined ? undefined : this.#byId.get(id);
  }

  #register(session: CallSession): void {
    if (session.id === undefined) return;
    this.#unregistered.delete(session);
    this.#byId.set(session.id, session);
    const orphans = this.#orphans.splice(0);
    for (const update of orphans) {
      if (update._ === 'updatePhoneCall' && update.phone_call.id === session.id) {
        session.handlePhoneCall(update.phone_call);
      } else if (this.#unregistered.size > 0) {
        this.#orphans.push(update);
      }
    }
  }

  #forget(session: CallSession): void {
    this.#unregistered.delete(session);
    if (session.id !== undefined && this.#byId.get(session.id) === session) {
      this.#byId.delete(session.id);
      remember(this.#ended, session.id, maxEndedIds);
    }
    this.#calls.delete(session);
  }
}
