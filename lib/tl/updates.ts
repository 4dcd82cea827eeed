import type { PhoneCall } from './phone-calls';

/** updatePhoneCall#ab0f6b1e */
export interface UpdatePhoneCall {
  _: 'updatePhoneCall';
  phone_call: PhoneCall;
}

/** updatePhoneCallSignalingData#2661bf09: one opaque unit for the engine. */
export interface UpdatePhoneCallSignalingData {
  _: 'updatePhoneCallSignalingData';
  phone_call_id: bigint;
  data: Uint8Array;
}

export type PhoneUpdate = UpdatePhoneCall | UpdatePhoneCallSignalingData;

/**
 * The Updates result of discardCall and setCallRating, reduced to the phone updates it
 * carries (adapters leave every other update to the client library).
 */
export interface Updates {
  _: 'updates';
  updates: PhoneUpdate[];
  users: unknown[];
  chats: unknown[];
  date: number;
  seq: number;
}

export interface UpdateShort {
  _: 'updateShort';
  update: PhoneUpdate;
  date: number;
}

export type UpdatesResult = Updates | UpdateShort;
