/** LocalExchange options and what it records. */
import type { PhoneCallDiscardReason, PhoneConnection } from '../tl';

export interface LocalExchangeOptions {
  /** phoneCall.connections for every call, e.g. a local TURN server. Default: none. */
  connections?: PhoneConnection[];
  /** phoneCall.p2p_allowed (both users' P2P privacy settings). Default true. */
  p2pAllowed?: boolean;
  /** phoneCall.conference_supported. Default false. */
  conferenceSupported?: boolean;
  /** phoneCall.custom_parameters as JSON text. Default: absent. */
  customParameters?: string;
  /** Set need_rating on phoneCallDiscarded of calls that connected. Default false. */
  needRating?: boolean;
  /** Set need_debug on phoneCallDiscarded of calls that connected. Default false. */
  needDebug?: boolean;
  /** The DH config version getDhConfig reports. Default 1. */
  dhConfigVersion?: number;
  /**
   * library_versions of the final phoneCall from both sides' lists. Default: the common
   * versions, highest first (empty when there are none).
   */
  chooseVersions?: (caller: readonly string[], callee: readonly string[]) => string[];
}

export interface RecordedRating {
  callId: bigint;
  userId: bigint;
  rating: number;
  comment: string;
  userInitiative: boolean;
}

export interface RecordedDebugLog {
  callId: bigint;
  userId: bigint;
  /** The DataJSON text the client uploaded. */
  data: string;
}

export interface RecordedDiscard {
  callId: bigint;
  userId: bigint;
  reason: PhoneCallDiscardReason;
  duration: number;
  video: boolean;
  connectionId: bigint;
}
