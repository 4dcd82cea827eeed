export { CallManager } from './call-manager';
export { PhoneCall } from './phone-call';
export type { CallEndInfo, CallManagerEvents, CallState, PhoneCallEvents } from './events';
export type { CallLogger } from './logger';
export {
  defaultCallTimeouts,
  defaultProtocolVersions,
  type CallManagerOptions,
  type CallMediaOptions,
  type CallTimeouts,
} from './options';
export type { CallTransport } from './transport';
export type { DiscardReason, RejectOptions } from './discard-reasons';
export { callProblems, type CallProblem, type RatingOptions } from './rating';
export type { MappedRtcServer } from './rtc-servers';
export { mapConnections } from './rtc-servers';
export { rpcErrorText } from './rpc';
