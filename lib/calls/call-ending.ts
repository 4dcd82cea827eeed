/**
 * What a call's end sends and reports (spec §8.6–8.7): phone.discardCall with its reason,
 * duration and video flag (retried as a hangup where the client library cannot express a
 * conference migration), the phoneCallDiscarded its result carries, phone.saveCallDebug when
 * the server asks for it, and the CallEndInfo of the `ended` event. CallSession decides when
 * the call ends and in which order things happen; these functions only get the values they
 * send, so that the requests can be read (and changed) apart from the state machine.
 */
import type { EngineFinalState } from '../engine/types';
import { TgCallsError } from '../errors';
import type {
  InputPhoneCall,
  PhoneCall as TlPhoneCall,
  PhoneCallDiscarded,
  PhoneCallDiscardReason,
  UpdatesResult,
} from '../tl';
import { asTgCallsError } from './call-failure';
import { withTimeout } from './call-timer';
import { discardReasonToTl, migrateReasonToTl, type DiscardReason } from './discard-reasons';
import type { CallEndInfo } from './events';
import type { Log } from './logger';
import { invokePhone } from './rpc';
import type { CallTransport } from './transport';

/** Why and how a call ends. */
export interface EndRequest {
  reason: DiscardReason | 'unspecified';
  conferenceSlug?: string;
  endedBy: 'local' | 'remote';
  /** Invoke phone.discardCall (this side ends the call). */
  discard: boolean;
  error?: TgCallsError;
}

/** What this side knows of the call when it ends. */
export interface LocalEnd {
  /** Seconds since the call was first established; 0 if it never was. */
  duration: number;
  hadVideo: boolean;
  finalState: EngineFinalState | undefined;
}

/** The `ended` event's info: the server's phoneCallDiscarded wins where it says something. */
export function endInfoFor(
  request: EndRequest,
  server: PhoneCallDiscarded | undefined,
  local: LocalEnd,
): CallEndInfo {
  const info: CallEndInfo = {
    reason: request.reason,
    duration: server?.duration ?? local.duration,
    endedBy: request.endedBy,
    needRating: server?.need_rating === true,
    needDebug: server?.need_debug === true,
    hadVideo: local.hadVideo || server?.video === true,
  };
  if (request.conferenceSlug !== undefined) info.conferenceSlug = request.conferenceSlug;
  if (request.error !== undefined) info.error = request.error;
  if (local.finalState !== undefined) info.engineFinalState = local.finalState;
  return info;
}

export interface DiscardInputs {
  transport: CallTransport;
  log: Log;
  request: EndRequest;
  /** Called inside the attempt: a call without an access hash fails it, and that is logged. */
  peer: () => InputPhoneCall;
  duration: number;
  hadVideo: boolean;
  timeoutMs: number;
}

/**
 * Invokes phone.discardCall; never rejects. Resolves with the result, whose updates carry
 * the server's phoneCallDiscarded (need_rating / need_debug), or undefined when it failed.
 */
export async function discardCall(inputs: DiscardInputs): Promise<UpdatesResult | undefined> {
  const { request, log } = inputs;
  const migrating = request.reason === 'migrateConferenceCall';
  let reason: PhoneCallDiscardReason;
  if (request.reason === 'migrateConferenceCall') {
    reason = migrateReasonToTl(request.conferenceSlug ?? '');
  } else {
    reason = discardReasonToTl(request.reason === 'unspecified' ? 'hangup' : request.reason);
  }
  try {
    return await invokeDiscard(inputs, reason, migrating);
  } catch (error) {
    const typed = asTgCallsError(error);
    log.warn(`phone.discardCall failed: ${typed.message}`);
    if (migrating && unsupportedByTransport(typed)) {
      // The client library's layer cannot carry the migration (GramJS, layer 198): the
      // server must still learn that the call is over, or the peer waits for a timeout.
      log.warn('migrateConferenceCall not expressible here: discarded as hangup');
      return invokeDiscard(inputs, discardReasonToTl('hangup'), true).catch(
        (retryError: unknown) => {
          log.warn(`phone.discardCall failed: ${asTgCallsError(retryError).message}`);
          return undefined;
        },
      );
    }
    return undefined;
  }
}

async function invokeDiscard(
  inputs: DiscardInputs,
  reason: PhoneCallDiscardReason,
  migrating: boolean,
): Promise<UpdatesResult> {
  return withTimeout(
    invokePhone(inputs.transport, {
      _: 'phone.discardCall',
      // Either side had video at any point, or the call moves to a conference (API text).
      video: inputs.hadVideo || migrating ? true : undefined,
      peer: inputs.peer(),
      duration: inputs.duration,
      reason,
      connection_id: 0n, // getPreferredRelayId(): always 0 for WebRTC versions (§3.7)
    }),
    inputs.timeoutMs,
    () => new TgCallsError('CALL_RPC_FAILED', 'phone.discardCall timed out'),
  );
}

/** The transport's client library cannot express the request (an adapter's TL_UNSUPPORTED). */
function unsupportedByTransport(error: TgCallsError): boolean {
  return error.cause instanceof TgCallsError && error.cause.code === 'TL_UNSUPPORTED';
}

/** The PhoneCall objects for call `id` among a method result's updates. */
export function phoneCallsIn(result: UpdatesResult, id: bigint | undefined): TlPhoneCall[] {
  const updates = result._ === 'updateShort' ? [result.update] : result.updates;
  const calls: TlPhoneCall[] = [];
  for (const update of updates) {
    if (update._ === 'updatePhoneCall' && update.phone_call.id === id) {
      calls.push(update.phone_call);
    }
  }
  return calls;
}

/**
 * Uploads the engine's debug JSON (the server's need_debug). Resolves with whether the
 * server stored it; failures are logged, never thrown.
 */
export async function saveCallDebug(
  transport: CallTransport,
  log: Log,
  peer: () => InputPhoneCall,
  finalState: EngineFinalState | undefined,
): Promise<boolean> {
  if (finalState === undefined) {
    log.debug('need_debug, but no engine ran: nothing to save');
    return false;
  }
  try {
    const saved = await invokePhone(transport, {
      _: 'phone.saveCallDebug',
      peer: peer(),
      debug: { _: 'dataJSON', data: finalState.debugJson },
    });
    if (!saved) log.warn('phone.saveCallDebug returned false');
    return saved;
  } catch (error) {
    log.warn(`phone.saveCallDebug failed: ${asTgCallsError(error).message}`);
    return false;
  }
}
