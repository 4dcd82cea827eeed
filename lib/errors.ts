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
  | 'KEY_RELEASED';

export class TgCallsError extends Error {
  readonly code: TgCallsErrorCode;

  constructor(code: TgCallsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TgCallsError';
    this.code = code;
  }
}
