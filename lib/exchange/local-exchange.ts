/**
 * An in-process stand-in for Telegram's side of the call API, so that CallManagers call
 * each other with no Telegram: it answers the same methods, checks access hashes and
 * parties, and sends the same updates in the same order as Telegram (spec §8.2).
 */
import { randomBytes } from 'node:crypto';

import { telegramDhPrime, TELEGRAM_DH_GENERATOR } from '../crypto';
import { TgCallsError } from '../errors';
import {
  readPhoneRequest,
  type InputPhoneCall,
  type MessagesDhConfigResult,
  type PhoneAcceptCall,
  type PhoneConfirmCall,
  type PhoneDiscardCall,
  type PhonePhoneCall,
  type PhoneRequest,
  type PhoneRequestCall,
  type PhoneUpdate,
  type Updates,
} from '../tl';
import type { CallTransport } from '../calls/transport';
import type { ExchangeCore, ExchangeEndpoint } from './endpoint';
import { InProcessTransport } from './exchange-transport';
import type {
  LocalExchangeOptions,
  RecordedDebugLog,
  RecordedDiscard,
  RecordedRating,
} from './options';
import { otherParty, partyOf, recipients, type CallParty } from './call-access';
import { RpcError } from './rpc-error';
import {
  acceptedObject,
  discardedObject,
  finalObject,
  requestedObject,
  waitingObject,
  type FinalCallSettings,
  type ServerCall,
} from './server-call';
import { commonVersionsHighestFirst, finalProtocol } from './version-choice';
import { connectRemote, type RemoteExchangeTransport } from './ws-transport';
import { serveExchange, type ExchangeServer } from './ws-server';

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** A random positive TL long (ids) or any TL long (access hashes). */
function randomLong(positive: boolean): bigint {
  const value = randomBytes(8).readBigInt64LE();
  return positive ? BigInt.asUintN(63, value) : value;
}

function updates(list: PhoneUpdate[]): Updates {
  return { _: 'updates', updates: list, users: [], chats: [], date: now(), seq: 0 };
}

export class LocalExchange implements ExchangeCore {
  /** Every phone.setCallRating, in order. */
  readonly ratings: RecordedRating[] = [];
  /** Every phone.saveCallDebug, in order. */
  readonly debugLogs: RecordedDebugLog[] = [];
  /** Every accepted phone.discardCall, in order. */
  readonly discards: RecordedDiscard[] = [];

  readonly #options: LocalExchangeOptions;
  readonly #endpoints = new Map<bigint, Set<ExchangeEndpoint>>();
  readonly #calls = new Map<bigint, ServerCall>();
  readonly #servers = new Set<ExchangeServer>();

  constructor(options: LocalExchangeOptions = {}) {
    this.#options = options;
  }

  /** Registers `userId` (if new) and returns a transport for `new CallManager({ transport })`. */
  connect(userId: bigint): CallTransport & { close(): void } {
    return new InProcessTransport(this, userId);
  }

  /**
   * Serves the exchange on a loopback WebSocket (127.0.0.1 only; port 0 picks a free one)
   * and returns its ws:// URL, for LocalExchange.connectRemote in another process.
   */
  async listen(options: { port?: number } = {}): Promise<string> {
    const server = await serveExchange(this, options.port ?? 0);
    this.#servers.add(server);
    return server.url;
  }

  /** A transport to a LocalExchange served by listen(), possibly in another process. */
  static connectRemote(url: string, userId: bigint): Promise<RemoteExchangeTransport> {
    return connectRemote(url, userId);
  }

  /** Stops every WebSocket server and disconnects their clients. */
  async close(): Promise<void> {
    const servers = [...this.#servers];
    this.#servers.clear();
    await Promise.all(servers.map((server) => server.close()));
  }

  /**
   * Ends an active call as Telegram does when it moves to a conference: both parties get
   * phoneCallDiscarded with reason migrateConferenceCall{slug} and the video flag.
   */
  migrateToConference(callId: bigint, slug: string): void {
    const call = this.#calls.get(callId);
    if (call === undefined || call.state === 'discarded') {
      throw new TgCallsError('CALL_INVALID_STATE', `no active call ${callId}`);
    }
    call.state = 'discarded';
    const discarded = discardedObject(call, {
      video: true,
      reason: { _: 'phoneCallDiscardReasonMigrateConferenceCall', slug },
      duration: this.#duration(call),
    });
    this.#send(call, 'admin', { _: 'updatePhoneCall', phone_call: discarded });
    this.#send(call, 'participant', { _: 'updatePhoneCall', phone_call: discarded });
  }

  /** Ids of the calls that have not been discarded. */
  get activeCallIds(): bigint[] {
    return [...this.#calls.values()]
      .filter((call) => call.state !== 'discarded')
      .map((call) => call.id);
  }

  /** Connects one client of `endpoint.userId`; returns the function that disconnects it. */
  attach(endpoint: ExchangeEndpoint): () => void {
    const endpoints = this.#endpoints.get(endpoint.userId) ?? new Set();
    endpoints.add(endpoint);
    this.#endpoints.set(endpoint.userId, endpoints);
    return () => {
      endpoints.delete(endpoint);
    };
  }

  /** Answers one request of the client `endpoint`, or throws an RpcError like Telegram's. */
  handle(endpoint: ExchangeEndpoint, raw: unknown): unknown {
    const userId = endpoint.userId;
    let request: PhoneRequest;
    try {
      request = readPhoneRequest(raw);
    } catch (error) {
      throw new RpcError(
        400,
        `INPUT_REQUEST_INVALID: ${error instanceof Error ? error.message : ''}`,
      );
    }
    switch (request._) {
      case 'messages.getDhConfig':
        return this.#getDhConfig(request.version, request.random_length);
      case 'phone.requestCall':
        return this.#requestCall(endpoint, request);
      case 'phone.receivedCall':
        return this.#receivedCall(endpoint, request.peer);
      case 'phone.acceptCall':
        return this.#acceptCall(endpoint, request);
      case 'phone.confirmCall':
        return this.#confirmCall(endpoint, request);
      case 'phone.discardCall':
        return this.#discardCall(endpoint, request);
      case 'phone.sendSignalingData': {
        const { call, party } = this.#callFor(endpoint, request.peer, request._);
        if (call.state !== 'active') throw new RpcError(400, 'CALL_PEER_INVALID');
        this.#send(call, otherParty(party), {
          _: 'updatePhoneCallSignalingData',
          phone_call_id: call.id,
          data: request.data,
        });
        return true;
      }
      case 'phone.setCallRating': {
        const { call } = this.#callFor(endpoint, request.peer, request._);
        this.ratings.push({
          callId: call.id,
          userId,
          rating: request.rating,
          comment: request.comment,
          userInitiative: request.user_initiative === true,
        });
        return updates([]);
      }
      case 'phone.saveCallDebug': {
        const { call } = this.#callFor(endpoint, request.peer, request._);
        this.debugLogs.push({ callId: call.id, userId, data: request.debug.data });
        return true;
      }
    }
  }

  #getDhConfig(version: number, randomLength: number): MessagesDhConfigResult {
    const random = randomBytes(Math.max(0, Math.min(randomLength, 1024)));
    const current = this.#options.dhConfigVersion ?? 1;
    if (version === current) return { _: 'messages.dhConfigNotModified', random };
    return {
      _: 'messages.dhConfig',
      g: TELEGRAM_DH_GENERATOR,
      p: telegramDhPrime(),
      version: current,
      random,
    };
  }

  #requestCall(endpoint: ExchangeEndpoint, request: PhoneRequestCall): PhonePhoneCall {
    const userId = endpoint.userId;
    const calleeId = request.user_id.user_id;
    if (!this.#endpoints.has(calleeId) || calleeId === userId) {
      throw new RpcError(400, 'USER_ID_INVALID');
    }
    if (request.g_a_hash.length !== 32) throw new RpcError(400, 'G_A_HASH_INVALID');
    this.#checkProtocol(request.protocol);
    const call: ServerCall = {
      id: randomLong(true),
      accessHash: randomLong(false),
      date: now(),
      adminId: userId,
      participantId: calleeId,
      adminEndpoint: endpoint,
      video: request.video === true,
      state: 'waiting',
      gAHash: request.g_a_hash,
      callerProtocol: request.protocol,
    };
    this.#calls.set(call.id, call);
    // Every device of the callee rings (spec §8.2).
    this.#send(call, 'participant', { _: 'updatePhoneCall', phone_call: requestedObject(call) });
    return { _: 'phone.phoneCall', phone_call: waitingObject(call, request.protocol), users: [] };
  }

  #receivedCall(endpoint: ExchangeEndpoint, peer: InputPhoneCall): boolean {
    const { call, party } = this.#callFor(endpoint, peer, 'phone.receivedCall');
    if (party === 'participant' && call.state === 'waiting') {
      call.state = 'ringing';
      call.receiveDate = now();
      // The caller learns that the callee's device rings (once, for the first device).
      this.#send(call, 'admin', {
        _: 'updatePhoneCall',
        phone_call: waitingObject(call, call.callerProtocol),
      });
    }
    return true;
  }

  #acceptCall(endpoint: ExchangeEndpoint, request: PhoneAcceptCall): PhonePhoneCall {
    const { call, party } = this.#callFor(endpoint, request.peer, request._);
    if (party !== 'participant') throw new RpcError(400, 'CALL_PEER_INVALID');
    this.#expectState(call, ['waiting', 'ringing'], 'CALL_ALREADY_ACCEPTED');
    this.#checkProtocol(request.protocol);
    call.state = 'accepted';
    call.gB = request.g_b;
    const choose = this.#options.chooseVersions ?? commonVersionsHighestFirst;
    call.protocol = finalProtocol(call.callerProtocol, request.protocol, choose);
    // The callee's other devices stop ringing: phoneCallDiscarded, without a reason (the
    // call was neither missed nor declined; clients show "answered on another device").
    const elsewhere = recipients(call, 'participant', (id) => this.#endpointsOf(id)).filter(
      (other) => other !== endpoint,
    );
    call.participantEndpoint = endpoint;
    const stopRinging: PhoneUpdate = {
      _: 'updatePhoneCall',
      phone_call: { _: 'phoneCallDiscarded', id: call.id },
    };
    for (const other of elsewhere) other.deliver(stopRinging);
    this.#send(call, 'admin', {
      _: 'updatePhoneCall',
      phone_call: acceptedObject(call, request.g_b, call.protocol),
    });
    return { _: 'phone.phoneCall', phone_call: waitingObject(call, call.protocol), users: [] };
  }

  #confirmCall(endpoint: ExchangeEndpoint, request: PhoneConfirmCall): PhonePhoneCall {
    const { call, party } = this.#callFor(endpoint, request.peer, request._);
    if (party !== 'admin') throw new RpcError(400, 'CALL_PEER_INVALID');
    this.#expectState(call, ['accepted'], 'CALL_PEER_INVALID');
    this.#checkProtocol(request.protocol);
    call.state = 'active';
    call.gA = request.g_a;
    call.keyFingerprint = request.key_fingerprint;
    call.startDate = now();
    const protocol = call.protocol ?? request.protocol;
    // Both parties get the same constructor; g_a_or_b is the caller's g_a (spec §8.2).
    const final = finalObject(
      call,
      request.g_a,
      request.key_fingerprint,
      protocol,
      call.startDate,
      this.#settings(),
    );
    this.#send(call, 'participant', { _: 'updatePhoneCall', phone_call: final });
    return { _: 'phone.phoneCall', phone_call: final, users: [] };
  }

  #discardCall(endpoint: ExchangeEndpoint, request: PhoneDiscardCall): Updates {
    const userId = endpoint.userId;
    const { call, party } = this.#callFor(endpoint, request.peer, request._);
    if (call.state === 'discarded') throw new RpcError(400, 'CALL_ALREADY_DECLINED');
    const connected = call.state === 'active';
    call.state = 'discarded';
    this.discards.push({
      callId: call.id,
      userId,
      reason: request.reason,
      duration: request.duration,
      video: request.video === true,
      connectionId: request.connection_id,
    });
    // Ratings and debug logs are only asked for calls that really took place.
    const discarded = discardedObject(call, {
      needRating: connected && this.#options.needRating === true,
      needDebug: connected && this.#options.needDebug === true,
      video: request.video === true,
      reason: request.reason,
      duration: request.duration,
    });
    const update: PhoneUpdate = { _: 'updatePhoneCall', phone_call: discarded };
    this.#send(call, otherParty(party), update);
    // A callee declining on one device: its other devices stop ringing too.
    for (const other of recipients(call, party, (id) => this.#endpointsOf(id))) {
      if (other !== endpoint) other.deliver(update);
    }
    return updates([update]);
  }

  #settings(): FinalCallSettings {
    const { customParameters } = this.#options;
    return {
      p2pAllowed: this.#options.p2pAllowed ?? true,
      conferenceSupported: this.#options.conferenceSupported === true,
      connections: this.#options.connections ?? [],
      customParameters:
        customParameters === undefined ? undefined : { _: 'dataJSON', data: customParameters },
    };
  }

  /** Telegram's rules for the frozen libtgvoip fields (spec §8.8). */
  #checkProtocol(protocol: {
    udp_p2p?: boolean;
    udp_reflector?: boolean;
    min_layer: number;
    max_layer: number;
  }): void {
    if (protocol.udp_reflector !== true) throw new RpcError(400, 'CALL_PROTOCOL_FLAGS_INVALID');
    if (protocol.min_layer > protocol.max_layer || protocol.max_layer < 65) {
      throw new RpcError(400, 'CALL_PROTOCOL_LAYER_INVALID');
    }
  }

  /**
   * The call `peer` names and the party `endpoint` speaks for, if the access hash is right
   * and this client may act on the call (see call-access.ts).
   */
  #callFor(
    endpoint: ExchangeEndpoint,
    peer: InputPhoneCall,
    method: string,
  ): { call: ServerCall; party: CallParty } {
    const call = this.#calls.get(peer.id);
    if (call === undefined || call.accessHash !== peer.access_hash) {
      throw new RpcError(400, 'CALL_PEER_INVALID');
    }
    return { call, party: partyOf(call, endpoint, method) };
  }

  #expectState(call: ServerCall, states: readonly ServerCall['state'][], otherwise: string): void {
    if (call.state === 'discarded') throw new RpcError(400, 'CALL_ALREADY_DECLINED');
    if (!states.includes(call.state)) throw new RpcError(400, otherwise);
  }

  #duration(call: ServerCall): number {
    return call.startDate === undefined ? 0 : now() - call.startDate;
  }

  #endpointsOf(userId: bigint): Iterable<ExchangeEndpoint> {
    return this.#endpoints.get(userId) ?? [];
  }

  /** Delivers `update` to the clients that follow `call` for `party`. */
  #send(call: ServerCall, party: CallParty, update: PhoneUpdate): void {
    for (const endpoint of recipients(call, party, (id) => this.#endpointsOf(id))) {
      endpoint.deliver(update);
    }
  }
}
