export { LocalExchange } from './local-exchange';
export { RpcError } from './rpc-error';
export { decodeTlJson, encodeTlJson } from './json-codec';
export { commonVersionsHighestFirst } from './version-choice';
export type { RemoteExchangeTransport } from './ws-transport';
export type {
  LocalExchangeOptions,
  RecordedDebugLog,
  RecordedDiscard,
  RecordedRating,
} from './options';
