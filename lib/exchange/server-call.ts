/** One call as the LocalExchange's server side tracks it, and the constructors it sends. */
import type {
  DataJSON,
  PhoneCallAccepted,
  PhoneCallDiscarded,
  PhoneCallDiscardReason,
  PhoneCallFinal,
  PhoneCallProtocol,
  PhoneCallRequested,
  PhoneCallWaiting,
  PhoneConnection,
} from '../tl';
import type { ExchangeEndpoint } from './endpoint';

export type ServerCallState = 'waiting' | 'ringing' | 'accepted' | 'active' | 'discarded';

export interface ServerCall {
  id: bigint;
  accessHash: bigint;
  date: number;
  adminId: bigint;
  participantId: bigint;
  /** The caller's client that invoked phone.requestCall: the only one of its side. */
  adminEndpoint: ExchangeEndpoint;
  /** The callee's client that invoked phone.acceptCall, once one did. */
  participantEndpoint?: ExchangeEndpoint;
  video: boolean;
  state: ServerCallState;
  gAHash: Uint8Array;
  callerProtocol: PhoneCallProtocol;
  receiveDate?: number;
  gB?: Uint8Array;
  protocol?: PhoneCallProtocol;
  gA?: Uint8Array;
  keyFingerprint?: bigint;
  startDate?: number;
}

function parties(call: ServerCall) {
  return {
    id: call.id,
    access_hash: call.accessHash,
    date: call.date,
    admin_id: call.adminId,
    participant_id: call.participantId,
  };
}

export function waitingObject(call: ServerCall, protocol: PhoneCallProtocol): PhoneCallWaiting {
  const waiting: PhoneCallWaiting = { _: 'phoneCallWaiting', ...parties(call), protocol };
  if (call.video) waiting.video = true;
  if (call.receiveDate !== undefined) waiting.receive_date = call.receiveDate;
  return waiting;
}

export function requestedObject(call: ServerCall): PhoneCallRequested {
  const requested: PhoneCallRequested = {
    _: 'phoneCallRequested',
    ...parties(call),
    g_a_hash: call.gAHash,
    protocol: call.callerProtocol,
  };
  if (call.video) requested.video = true;
  return requested;
}

export function acceptedObject(
  call: ServerCall,
  gB: Uint8Array,
  protocol: PhoneCallProtocol,
): PhoneCallAccepted {
  const accepted: PhoneCallAccepted = {
    _: 'phoneCallAccepted',
    ...parties(call),
    g_b: gB,
    protocol,
  };
  if (call.video) accepted.video = true;
  return accepted;
}

export interface FinalCallSettings {
  p2pAllowed: boolean;
  conferenceSupported: boolean;
  connections: PhoneConnection[];
  customParameters: DataJSON | undefined;
}

export function finalObject(
  call: ServerCall,
  gA: Uint8Array,
  keyFingerprint: bigint,
  protocol: PhoneCallProtocol,
  startDate: number,
  settings: FinalCallSettings,
): PhoneCallFinal {
  const final: PhoneCallFinal = {
    _: 'phoneCall',
    ...parties(call),
    g_a_or_b: gA,
    key_fingerprint: keyFingerprint,
    protocol,
    connections: settings.connections,
    start_date: startDate,
  };
  if (settings.p2pAllowed) final.p2p_allowed = true;
  if (call.video) final.video = true;
  if (settings.conferenceSupported) final.conference_supported = true;
  if (settings.customParameters !== undefined) final.custom_parameters = settings.customParameters;
  return final;
}

export function discardedObject(
  call: ServerCall,
  fields: {
    needRating?: boolean;
    needDebug?: boolean;
    video: boolean;
    reason: PhoneCallDiscardReason;
    duration: number;
  },
): PhoneCallDiscarded {
  const discarded: PhoneCallDiscarded = {
    _: 'phoneCallDiscarded',
    id: call.id,
    reason: fields.reason,
    duration: fields.duration,
  };
  if (fields.needRating === true) discarded.need_rating = true;
  if (fields.needDebug === true) discarded.need_debug = true;
  if (fields.video) discarded.video = true;
  return discarded;
}
