/**
 * Every error node-tgcalls raises on purpose is a TgCallsError with a stable `code`.
 * Codes are listed in docs/errors.md; messages may change, codes do not.
 */
export type TgCallsErrorCode =
  | 'NATIVE_ADDON_LOAD_FAILED'
  | 'WEBRTC_INIT_FAILED'
  | 'CERTIFICATE_FAILED'
  | 'DH_BAD_PRIME'
  | 'DH_BAD_GENERATOR'
  | 'DH_OUT_OF_RANGE'
  | 'G_A_HASH_MISMATCH'
  | 'KEY_FINGERPRINT_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'KEY_RELEASED'
  | 'COUNTER_EXHAUSTED'
  | 'INTERNAL_ERROR'
  | 'TL_MALFORMED'
  | 'TL_UNSUPPORTED'
  | 'CALL_UNEXPECTED_OBJECT'
  | 'CALL_ACCESS_HASH_MISMATCH'
  | 'CALL_PARTICIPANT_MISMATCH'
  | 'CALL_NO_COMMON_VERSION'
  | 'CALL_RPC_FAILED'
  | 'CALL_KEY_EXCHANGE_TIMEOUT'
  | 'CALL_CONNECT_TIMEOUT'
  | 'CALL_ENGINE_FAILED'
  | 'CALL_INVALID_STATE'
  | 'RPC_ERROR'
  | 'EXCHANGE_DISCONNECTED'
  | 'UNSUPPORTED_PROTOCOL_VERSION'
  | 'CALL_PACKET_TIMEOUT'
  | 'CALL_CONNECTION_FAILED'
  | 'MEDIA_FILE_NOT_FOUND'
  | 'MEDIA_FILE_INVALID'
  | 'MEDIA_FILE_UNWRITABLE'
  | 'MEDIA_FFMPEG_MISSING'
  | 'MEDIA_FFMPEG_FAILED'
  | 'PEER_DEPENDENCY_MISSING';

export class TgCallsError extends Error {
  readonly code: TgCallsErrorCode;

  constructor(code: TgCallsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TgCallsError';
    this.code = code;
  }
}
