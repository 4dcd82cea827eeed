/**
 * Which connected client may act on a call, and which clients its updates reach. Telegram
 * ties a call to one device per side: the caller's device that invoked phone.requestCall,
 * and, once the callee accepted, the callee's device that invoked phone.acceptCall. Until
 * then every device of the callee rings and may answer or decline (spec §8.2).
 */
import type { ExchangeEndpoint } from './endpoint';
import { RpcError } from './rpc-error';
import type { ServerCall } from './server-call';

export type CallParty = 'admin' | 'participant';

/** Methods that a callee's other device may try after the call was accepted elsewhere. */
const acceptedElsewhereMethods: readonly string[] = ['phone.acceptCall', 'phone.discardCall'];

/**
 * The party `endpoint` speaks for in `call`, or Telegram's error: CALL_PEER_INVALID for
 * users who are not a party and for the caller's other devices; CALL_ALREADY_ACCEPTED
 * (the documented error of phone.acceptCall and phone.discardCall) when another device of
 * the callee accepted the call, CALL_PEER_INVALID for its other methods.
 */
export function partyOf(call: ServerCall, endpoint: ExchangeEndpoint, method: string): CallParty {
  if (endpoint.userId === call.adminId) {
    if (endpoint !== call.adminEndpoint) throw new RpcError(400, 'CALL_PEER_INVALID');
    return 'admin';
  }
  if (endpoint.userId === call.participantId) {
    const accepted = call.participantEndpoint;
    if (accepted !== undefined && endpoint !== accepted) {
      throw new RpcError(
        400,
        acceptedElsewhereMethods.includes(method) ? 'CALL_ALREADY_ACCEPTED' : 'CALL_PEER_INVALID',
      );
    }
    return 'participant';
  }
  throw new RpcError(400, 'CALL_PEER_INVALID');
}

export function otherParty(party: CallParty): CallParty {
  return party === 'admin' ? 'participant' : 'admin';
}

/**
 * The clients that get `party`'s updates about `call`: the caller's calling device; the
 * callee's accepting device, or all of the callee's devices before one accepted.
 */
export function recipients(
  call: ServerCall,
  party: CallParty,
  endpointsOf: (userId: bigint) => Iterable<ExchangeEndpoint>,
): ExchangeEndpoint[] {
  if (party === 'admin') return [call.adminEndpoint];
  if (call.participantEndpoint !== undefined) return [call.participantEndpoint];
  return [...endpointsOf(call.participantId)];
}
