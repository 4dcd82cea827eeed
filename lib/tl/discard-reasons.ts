/** phoneCallDiscardReason*: why a call ended, as carried by discardCall and phoneCallDiscarded. */
export interface PhoneCallDiscardReasonMissed {
  _: 'phoneCallDiscardReasonMissed';
}
export interface PhoneCallDiscardReasonDisconnect {
  _: 'phoneCallDiscardReasonDisconnect';
}
export interface PhoneCallDiscardReasonHangup {
  _: 'phoneCallDiscardReasonHangup';
}
export interface PhoneCallDiscardReasonBusy {
  _: 'phoneCallDiscardReasonBusy';
}
/** The call moves to a conference call; `slug` names the conference to join. */
export interface PhoneCallDiscardReasonMigrateConferenceCall {
  _: 'phoneCallDiscardReasonMigrateConferenceCall';
  slug: string;
}

export type PhoneCallDiscardReason =
  | PhoneCallDiscardReasonMissed
  | PhoneCallDiscardReasonDisconnect
  | PhoneCallDiscardReasonHangup
  | PhoneCallDiscardReasonBusy
  | PhoneCallDiscardReasonMigrateConferenceCall;
