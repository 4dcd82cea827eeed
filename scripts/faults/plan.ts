/** What the quick and the full faults runs do. */
import { burstLossFor, type ImpairmentProfile } from '../../lib/netem';

export interface AudioCase {
  name: string;
  profile: ImpairmentProfile;
}

export interface FaultsPlan {
  mode: 'quick' | 'full';
  audioSeconds: number;
  audioCases: AudioCase[];
  blackoutRuns: number;
  longBlackout: boolean;
  signalingLossCalls: number;
  signalingMixedCalls: number;
  concurrency: number;
  /** Run the signaling calls alongside the media scenarios. */
  overlap: boolean;
  connectTimeoutMs: number;
  wrongCredentials: boolean;
  hostileUnitsPerVersion: number;
  churnSequential: number;
  churnConcurrent: number;
}

export const fivePercentLoss: AudioCase = { name: '5 % random loss', profile: { loss: 0.05 } };

const fullAudioCases: AudioCase[] = [
  fivePercentLoss,
  { name: '20 % random loss', profile: { loss: 0.2 } },
  { name: '100 ms ± 30 ms jitter', profile: { delayMs: 100, jitterMs: 30 } },
  {
    name: '5 % bursty loss (Gilbert-Elliott, mean burst 3)',
    profile: { burstLoss: burstLossFor(0.05, 3) },
  },
  { name: '15 % bursty loss (mean burst 5)', profile: { burstLoss: burstLossFor(0.15, 5) } },
  {
    name: '5 % reordering + 5 % duplication, 40 ms delay',
    profile: { delayMs: 40, reorder: 0.05, reorderGapMs: 30, duplicate: 0.05 },
  },
  { name: '48 kbit/s cap, 100 ms queue', profile: { rateKbps: 48, queueMs: 100 } },
];

export function makePlan(quick: boolean): FaultsPlan {
  return quick
    ? {
        mode: 'quick',
        audioSeconds: 2,
        audioCases: [fivePercentLoss],
        blackoutRuns: 1,
        longBlackout: false,
        signalingLossCalls: 50,
        signalingMixedCalls: 0,
        concurrency: 6,
        overlap: true,
        connectTimeoutMs: 20_000,
        wrongCredentials: false,
        hostileUnitsPerVersion: 700,
        churnSequential: 30,
        churnConcurrent: 10,
      }
    : {
        mode: 'full',
        audioSeconds: 10,
        audioCases: fullAudioCases,
        blackoutRuns: 5,
        longBlackout: true,
        signalingLossCalls: 1000,
        signalingMixedCalls: 200,
        concurrency: 1,
        overlap: false,
        // Telegram's default call_connect_timeout_ms.
        connectTimeoutMs: 30_000,
        wrongCredentials: true,
        hostileUnitsPerVersion: 7000,
        churnSequential: 500,
        churnConcurrent: 50,
      };
}
