/** Discard reasons as names, and their TL constructors (spec §8.6). */
import type { PhoneCallDiscardReason } from '../tl';

export type DiscardReason = 'missed' | 'disconnect' | 'hangup' | 'busy' | 'migrateConferenceCall';

const toTl = {
  missed: 'phoneCallDiscardReasonMissed',
  disconnect: 'phoneCallDiscardReasonDisconnect',
  hangup: 'phoneCallDiscardReasonHangup',
  busy: 'phoneCallDiscardReasonBusy',
} as const;

/** The reasons this side sends; migrating to a conference needs its slug. */
export function discardReasonToTl(
  reason: Exclude<DiscardReason, 'migrateConferenceCall'>,
): PhoneCallDiscardReason {
  return { _: toTl[reason] };
}

export function migrateReasonToTl(slug: string): PhoneCallDiscardReason {
  return { _: 'phoneCallDiscardReasonMigrateConferenceCall', slug };
}

/** How PhoneCall.reject() declines. */
export interface RejectOptions {
  /** `busy` (default: what official clients send when declining) or `hangup`. */
  reason?: 'busy' | 'hangup';
}

export interface ReceivedDiscardReason {
  /** 'unspecified' when phoneCallDiscarded carried no reason. */
  reason: DiscardReason | 'unspecified';
  /** The conference to join, for migrateConferenceCall. */
  conferenceSlug?: string;
}

export function discardReasonFromTl(
  reason: PhoneCallDiscardReason | undefined,
): ReceivedDiscardReason {
  switch (reason?._) {
    case undefined:
      return { reason: 'unspecified' };
    case 'phoneCallDiscardReasonMissed':
      return { reason: 'missed' };
    case 'phoneCallDiscardReasonDisconnect':
      return { reason: 'disconnect' };
    case 'phoneCallDiscardReasonHangup':
      return { reason: 'hangup' };
    case 'phoneCallDiscardReasonBusy':
      return { reason: 'busy' };
    case 'phoneCallDiscardReasonMigrateConferenceCall':
      return { reason: 'migrateConferenceCall', conferenceSlug: reason.slug };
  }
}
