/**
 * phoneConnection#9cc123c7: a Telegram reflector (a relay with Telegram's own framing).
 * Protocols 10/11 cannot use it (spec §6.1.2); it is typed so that nothing is lost.
 */
export interface PhoneConnectionReflector {
  _: 'phoneConnection';
  tcp?: boolean;
  id: bigint;
  ip: string;
  ipv6: string;
  port: number;
  peer_tag: Uint8Array;
}

/** phoneConnectionWebrtc#635fe375: a standard STUN and/or TURN server. */
export interface PhoneConnectionWebrtc {
  _: 'phoneConnectionWebrtc';
  turn?: boolean;
  stun?: boolean;
  id: bigint;
  ip: string;
  ipv6: string;
  port: number;
  username: string;
  password: string;
}

export type PhoneConnection = PhoneConnectionReflector | PhoneConnectionWebrtc;
