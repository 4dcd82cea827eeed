/** The functions the call layer invokes, and what each returns (spec §8.1). */
import type { MessagesDhConfigResult } from './dh-config';
import type { DataJSON, InputPhoneCall, InputUser } from './inputs';
import type { PhoneCallDiscardReason } from './discard-reasons';
import type { PhonePhoneCall } from './phone-calls';
import type { PhoneCallProtocol } from './protocol';
import type { UpdatesResult } from './updates';

/** messages.getDhConfig#26cf8950 */
export interface MessagesGetDhConfig {
  _: 'messages.getDhConfig';
  version: number;
  random_length: number;
}

/** phone.requestCall#42ff96ed */
export interface PhoneRequestCall {
  _: 'phone.requestCall';
  video?: boolean;
  user_id: InputUser;
  random_id: number;
  g_a_hash: Uint8Array;
  protocol: PhoneCallProtocol;
}

/** phone.acceptCall#3bd2b4a0 */
export interface PhoneAcceptCall {
  _: 'phone.acceptCall';
  peer: InputPhoneCall;
  g_b: Uint8Array;
  protocol: PhoneCallProtocol;
}

/** phone.confirmCall#2efe1722 */
export interface PhoneConfirmCall {
  _: 'phone.confirmCall';
  peer: InputPhoneCall;
  g_a: Uint8Array;
  key_fingerprint: bigint;
  protocol: PhoneCallProtocol;
}

/** phone.receivedCall#17d54f61: tells the caller that this device is ringing. */
export interface PhoneReceivedCall {
  _: 'phone.receivedCall';
  peer: InputPhoneCall;
}

/** phone.discardCall#b2cbc1c0 */
export interface PhoneDiscardCall {
  _: 'phone.discardCall';
  video?: boolean;
  peer: InputPhoneCall;
  duration: number;
  reason: PhoneCallDiscardReason;
  connection_id: bigint;
}

/** phone.sendSignalingData#ff7a9383 */
export interface PhoneSendSignalingData {
  _: 'phone.sendSignalingData';
  peer: InputPhoneCall;
  data: Uint8Array;
}

/** phone.setCallRating#59ead627 */
export interface PhoneSetCallRating {
  _: 'phone.setCallRating';
  user_initiative?: boolean;
  peer: InputPhoneCall;
  rating: number;
  comment: string;
}

/** phone.saveCallDebug#277add7e */
export interface PhoneSaveCallDebug {
  _: 'phone.saveCallDebug';
  peer: InputPhoneCall;
  debug: DataJSON;
}

/** Each method's request and result types, by TL name. `Bool` results are booleans. */
export interface PhoneMethods {
  'messages.getDhConfig': { request: MessagesGetDhConfig; result: MessagesDhConfigResult };
  'phone.requestCall': { request: PhoneRequestCall; result: PhonePhoneCall };
  'phone.acceptCall': { request: PhoneAcceptCall; result: PhonePhoneCall };
  'phone.confirmCall': { request: PhoneConfirmCall; result: PhonePhoneCall };
  'phone.receivedCall': { request: PhoneReceivedCall; result: boolean };
  'phone.discardCall': { request: PhoneDiscardCall; result: UpdatesResult };
  'phone.sendSignalingData': { request: PhoneSendSignalingData; result: boolean };
  'phone.setCallRating': { request: PhoneSetCallRating; result: UpdatesResult };
  'phone.saveCallDebug': { request: PhoneSaveCallDebug; result: boolean };
}

export type PhoneMethodName = keyof PhoneMethods;
export type PhoneRequest = PhoneMethods[PhoneMethodName]['request'];
export type PhoneResult<R extends PhoneRequest> = PhoneMethods[R['_']]['result'];
