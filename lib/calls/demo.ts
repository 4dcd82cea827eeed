/**
 * runExchangeDemo: one complete call between two CallManagers through a LocalExchange —
 * request, ring, accept, key exchange, emoji on both sides, N seconds of engine, hang-up by
 * the caller, a rating with a problem hashtag (need_rating) and the debug JSON (need_debug).
 */
import type { EngineFactory, EngineFinalState, ProtocolVersion } from '../engine/types';
import { TgCallsError } from '../errors';
import { LocalExchange, type LocalExchangeOptions } from '../exchange';
import { CallManager } from './call-manager';
import type { CallEndInfo } from './events';
import type { CallLogger } from './logger';
import type { CallTimeouts } from './options';
import type { PhoneCall } from './phone-call';

export interface ExchangeDemoOptions {
  engineFactory: EngineFactory;
  /** How long the established call runs before the caller hangs up. Default 1. */
  seconds?: number;
  protocolVersions?: readonly ProtocolVersion[];
  timeouts?: Partial<CallTimeouts>;
  /** Extra exchange settings (connections, p2pAllowed…); need_rating/need_debug are on. */
  exchange?: LocalExchangeOptions;
  logger?: CallLogger;
  /** Called once both calls are established, e.g. to sample their engines' statistics. */
  onEstablished?: (calls: { caller: PhoneCall; callee: PhoneCall }) => void;
}

export interface ExchangeDemoSide {
  finalState: EngineFinalState | undefined;
  version: ProtocolVersion | undefined;
  /** key_fingerprint as a decimal string. */
  keyFingerprint: string;
  emoji: string[];
}

export interface ExchangeDemoResult {
  caller: ExchangeDemoSide;
  callee: ExchangeDemoSide;
  discard: { reason: CallEndInfo['reason']; duration: number };
  /** As the exchange recorded phone.setCallRating. */
  rating: { rating: number; comment: string; userInitiative: boolean } | undefined;
  /** Both sides uploaded their debug JSON with phone.saveCallDebug. */
  debugSaved: boolean;
  /** From phone.requestCall to both sides established, ms. */
  setupMs: number;
}

const callerId = 1n;
const calleeId = 2n;

function settle<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new TgCallsError('CALL_CONNECT_TIMEOUT', `demo: ${what} did not happen within ${ms} ms`),
      );
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function once<T>(subscribe: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve) => {
    subscribe(resolve);
  });
}

/** Resolves on the next emission of an event without arguments. */
function signal(subscribe: (listener: () => void) => void): Promise<true> {
  return new Promise<true>((resolve) => {
    subscribe(() => {
      resolve(true);
    });
  });
}

/** Resolves when `call` is established; rejects with its error if it ends first. */
function established(call: PhoneCall): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (call.state === 'established') {
      resolve();
      return;
    }
    call.on('state', (state) => {
      if (state === 'established') resolve();
    });
    call.once('ended', (info) => {
      reject(
        info.error ?? new TgCallsError('CALL_INVALID_STATE', `the call ended: ${info.reason}`),
      );
    });
  });
}

function side(call: PhoneCall): ExchangeDemoSide {
  return {
    finalState: call.endInfo?.engineFinalState,
    version: call.version,
    keyFingerprint: (call.keyFingerprint ?? 0n).toString(),
    emoji: [...(call.emoji ?? [])],
  };
}

export async function runExchangeDemo(options: ExchangeDemoOptions): Promise<ExchangeDemoResult> {
  const exchange = new LocalExchange({ ...options.exchange, needRating: true, needDebug: true });
  const managers = [callerId, calleeId].map(
    (userId) =>
      new CallManager({
        transport: exchange.connect(userId),
        engineFactory: options.engineFactory,
        protocolVersions: options.protocolVersions,
        timeouts: options.timeouts,
        logger: options.logger,
      }),
  );
  const [callerManager, calleeManager] = managers as [CallManager, CallManager];
  const limit = (options.timeouts?.connectMs ?? 30_000) + (options.timeouts?.receiveMs ?? 20_000);
  try {
    const startedAt = performance.now();
    const ringing = once<PhoneCall>((resolve) => calleeManager.once('incomingCall', resolve));
    const outgoing = callerManager.call({ _: 'inputUser', user_id: calleeId, access_hash: 0n });
    const incoming = await settle(ringing, limit, 'the incoming call');
    const bothEstablished = Promise.all([established(outgoing), established(incoming)]);
    await incoming.accept();
    await settle(bothEstablished, limit, 'establishing the call');
    const setupMs = Math.round(performance.now() - startedAt);
    options.onEstablished?.({ caller: outgoing, callee: incoming });

    await new Promise((resolve) => setTimeout(resolve, (options.seconds ?? 1) * 1000));

    const debugSaved = Promise.all(
      [outgoing, incoming].map((call) => signal((listener) => call.once('debugSaved', listener))),
    );
    const ratingRequested = signal((listener) => outgoing.once('ratingRequested', listener));
    const calleeEnded = once<CallEndInfo>((resolve) => incoming.once('ended', resolve));
    await outgoing.hangUp();
    await settle(calleeEnded, limit, 'the end of the call');
    await settle(ratingRequested, limit, 'need_rating');
    await outgoing.rate(4, { comment: 'demo call', problems: ['echo'] });
    const saved = await settle(debugSaved, limit, 'saving the debug logs').then(
      () => true,
      () => false,
    );

    const endInfo = outgoing.endInfo;
    const recorded = exchange.ratings[0];
    return {
      caller: side(outgoing),
      callee: side(incoming),
      discard: { reason: endInfo?.reason ?? 'unspecified', duration: endInfo?.duration ?? 0 },
      rating:
        recorded === undefined
          ? undefined
          : {
              rating: recorded.rating,
              comment: recorded.comment,
              userInitiative: recorded.userInitiative,
            },
      debugSaved: saved && exchange.debugLogs.length === 2,
      setupMs,
    };
  } finally {
    await Promise.all(managers.map((manager) => manager.close()));
    await exchange.close();
  }
}
