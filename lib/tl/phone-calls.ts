/** The PhoneCall constructors a call goes through (spec §8.1, §8.2). */
import type { PhoneConnection } from './connections';
import type { PhoneCallDiscardReason } from './discard-reasons';
import type { DataJSON } from './inputs';
import type { PhoneCallProtocol } from './protocol';

/** Fields every constructor after the first shares; admin = caller, participant = callee. */
interface PhoneCallParties {
  id: bigint;
  access_hash: bigint;
  date: number;
  admin_id: bigint;
  participant_id: bigint;
}

/** phoneCallEmpty#5366c915 */
export interface PhoneCallEmpty {
  _: 'phoneCallEmpty';
  id: bigint;
}

/** phoneCallWaiting#c5226f17: requested; `receive_date` set once the callee's device rings. */
export interface PhoneCallWaiting extends PhoneCallParties {
  _: 'phoneCallWaiting';
  video?: boolean;
  protocol: PhoneCallProtocol;
  receive_date?: number;
}

/** phoneCallRequested#14b0ed0c: what the callee sees; `g_a_hash` commits the caller to g_a. */
export interface PhoneCallRequested extends PhoneCallParties {
  _: 'phoneCallRequested';
  video?: boolean;
  g_a_hash: Uint8Array;
  protocol: PhoneCallProtocol;
}

/** phoneCallAccepted#3660c311: what the caller sees once the callee accepted. */
export interface PhoneCallAccepted extends PhoneCallParties {
  _: 'phoneCallAccepted';
  video?: boolean;
  g_b: Uint8Array;
  protocol: PhoneCallProtocol;
}

/** phoneCall#30535af5: the final constructor; the engine is created from it alone. */
export interface PhoneCallFinal extends PhoneCallParties {
  _: 'phoneCall';
  p2p_allowed?: boolean;
  video?: boolean;
  conference_supported?: boolean;
  /** The caller's g_a (both sides receive g_a). */
  g_a_or_b: Uint8Array;
  key_fingerprint: bigint;
  protocol: PhoneCallProtocol;
  connections: PhoneConnection[];
  start_date: number;
  custom_parameters?: DataJSON;
}

/** phoneCallDiscarded#50ca4de1 */
export interface PhoneCallDiscarded {
  _: 'phoneCallDiscarded';
  need_rating?: boolean;
  need_debug?: boolean;
  video?: boolean;
  id: bigint;
  reason?: PhoneCallDiscardReason;
  duration?: number;
}

export type PhoneCall =
  | PhoneCallEmpty
  | PhoneCallWaiting
  | PhoneCallRequested
  | PhoneCallAccepted
  | PhoneCallFinal
  | PhoneCallDiscarded;

/** phone.phoneCall#ec82e140: the result of requestCall, acceptCall and confirmCall. */
export interface PhonePhoneCall {
  _: 'phone.phoneCall';
  phone_call: PhoneCall;
  /** Telegram User objects, passed through untouched (the call layer does not read them). */
  users: unknown[];
}
