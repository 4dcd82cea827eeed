/**
 * Many calls whose signaling crosses a faulty path (see signaling-faults.ts), versions
 * alternating: how many connect, and how long setup takes. Calls run `concurrency` at a time,
 * each with its own seed; 1 runs them strictly in a row.
 */
import type { ProtocolVersion } from '../../lib/engine/types';
import { signalingFaultInjector, type SignalingFaultMode } from './signaling-faults';
import { startToneCall } from './tone-call';

export interface SignalingCallsOptions {
  calls: number;
  mode: SignalingFaultMode;
  rate: number;
  seed: number;
  concurrency?: number;
  versions?: readonly ProtocolVersion[];
  connectTimeoutMs?: number;
  /** Called after each call (progress output). */
  onCall?: (done: number, connected: number) => void;
}

export interface VersionFigures {
  calls: number;
  connected: number;
  medianSetupMs: number;
  p95SetupMs: number;
  maxSetupMs: number;
}

export interface SignalingCallsResult {
  mode: SignalingFaultMode;
  rate: number;
  calls: number;
  connected: number;
  connectRate: number;
  /** Error codes of the calls that did not connect, with counts. */
  failures: Record<string, number>;
  byVersion: Partial<Record<ProtocolVersion, VersionFigures>>;
  /** Units seen and faults applied over all calls. */
  units: number;
  faults: Record<'drop' | 'delay' | 'duplicate' | 'reorder', number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return -1;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -1);
}

export async function runSignalingFaultCalls(
  options: SignalingCallsOptions,
): Promise<SignalingCallsResult> {
  const versions = options.versions ?? ['11.0.0', '10.0.0'];
  const setups = new Map<ProtocolVersion, { calls: number; times: number[] }>();
  const failures: Record<string, number> = {};
  const faults = { drop: 0, delay: 0, duplicate: 0, reorder: 0 };
  let units = 0;
  let next = 0;
  let done = 0;
  let connected = 0;

  const runOne = async (index: number): Promise<void> => {
    const version = versions[index % versions.length] ?? '11.0.0';
    const injector = signalingFaultInjector({
      mode: options.mode,
      rate: options.rate,
      seed: options.seed + index,
    });
    const startedAt = performance.now();
    const call = startToneCall({
      version,
      recordAudio: false,
      deliver: injector.deliver,
      config: { connectTimeoutMs: options.connectTimeoutMs ?? 20_000 },
    });
    const figures = setups.get(version) ?? { calls: 0, times: [] };
    setups.set(version, figures);
    figures.calls++;
    try {
      await call.established;
      figures.times.push(performance.now() - startedAt);
      connected++;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'UNKNOWN';
      failures[code] = (failures[code] ?? 0) + 1;
    } finally {
      injector.close();
      await call.stop();
      units += injector.counters.units;
      for (const fault of ['drop', 'delay', 'duplicate', 'reorder'] as const)
        faults[fault] += injector.counters[fault];
      done++;
      options.onCall?.(done, connected);
    }
  };
  const worker = async (): Promise<void> => {
    while (next < options.calls) await runOne(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));

  const byVersion: Partial<Record<ProtocolVersion, VersionFigures>> = {};
  for (const [version, figures] of setups) {
    const sorted = [...figures.times].sort((a, b) => a - b);
    byVersion[version] = {
      calls: figures.calls,
      connected: sorted.length,
      medianSetupMs: percentile(sorted, 0.5),
      p95SetupMs: percentile(sorted, 0.95),
      maxSetupMs: percentile(sorted, 1),
    };
  }
  return {
    mode: options.mode,
    rate: options.rate,
    calls: options.calls,
    connected,
    connectRate: options.calls ? connected / options.calls : 0,
    failures,
    byVersion,
    units,
    faults,
  };
}
