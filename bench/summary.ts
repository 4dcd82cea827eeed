/**
 * The results of one `npm run bench` (what bench/run.ts collects from its children) and the
 * headline figures and target checks derived from them, shared by the runner and the report.
 */

export interface ConcurrencyResult {
  kind: 'concurrency';
  calls: number;
  workerThreads: number;
  windowSeconds: number;
  establishMs: number;
  cpuSeconds: number;
  cpuPct: number;
  cpuPerCallPct: number;
  clockKeepUp: number | null;
  receiveKeepUp: number | null;
  rssMiB: number;
  threads: number;
  threadNames: Record<string, number>;
  threadCpuPct: Record<string, number>;
  toneFractionMin: number | null;
  packetLossMax: number | null;
  jitterMsMax: number | null;
  perCall: {
    index: number;
    callerHz: number;
    calleeHz: number;
    callerToCallee: number;
    calleeToCaller: number;
  }[];
}

export interface FloorResult {
  calls: number;
  streams: number;
  audioSeconds: number;
  cpuSeconds: number;
  bitrateBps: number;
  opusVersion: string;
  /** Percent of one core per call (two streams: one per direction). */
  perCallPct: number;
}

export interface SetupSummary {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface SetupResult {
  kind: 'setup';
  calls: number;
  firstCallInProcessMs: number;
  engine: SetupSummary;
  engineEstablished: SetupSummary;
  engineFirstEstablished: SetupSummary;
  engineSignaling: SetupSummary;
  engineSignalingUnits: number;
  engineEstablishedGap: SetupSummary;
  exchangeCalls: number;
  exchange: SetupSummary | null;
  exchangeKeyExchange: SetupSummary | null;
  exchangeError?: string;
  udpRttMs: number;
}

export interface LatencyPath {
  path: string;
  addedDelayMs: number;
  calls: number;
  perCallMedianMs: number[];
  perCallJitterMs: number[];
  clicks: number;
  detected: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  clockOffsetStable: boolean;
  lateUnderruns: number;
  localCandidateType: string;
}

export interface LatencyResult {
  kind: 'latency';
  paths: LatencyPath[];
  udpRttMs: number;
}

export interface CryptoResult {
  handshakesPerSecond: number;
  sha256PerSecond256B: number;
  handshakeCostInSha256: number;
  encryptMBs: number;
  decryptMBs: number;
  sha256MBs1KB: number;
  encryptRatioToSha256: number;
  decryptRatioToSha256: number;
}

export interface ScaleOutLayout {
  name: string;
  processes: number;
  workerThreadsPerProcess: number;
  calls: number;
  results: ConcurrencyResult[];
}

export interface ProfileEntry {
  pct: number;
  name: string;
}

export interface ProfileResult {
  calls: number;
  seconds: number;
  samples: number;
  byThread: ProfileEntry[];
  byLibrary: ProfileEntry[];
  byCategory: ProfileEntry[];
  topSymbols: ProfileEntry[];
}

export interface MemoryProfile {
  callsLow: number;
  callsHigh: number;
  /** Live heap (massif's snapshot while the calls carry audio), per call between the two N. */
  heapPerCallMiB: number;
  /**
   * KiB per call by allocation site (a direct caller of malloc/new), largest first; the last,
   * `other`, is every smaller site, so that the sites add up to the heap per call.
   */
  sites: { name: string; kib: number }[];
}

export interface BenchResults {
  mode: 'quick' | 'full';
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; tgOwt: string; opus: string };
  settings: { settleSeconds: number; windowSeconds: number; staggerMs: number };
  concurrency: ConcurrencyResult[];
  floors: FloorResult[];
  setup: SetupResult | null;
  latency: LatencyResult | null;
  crypto: CryptoResult | null;
  scaleOut: ScaleOutLayout[] | null;
  profile: ProfileResult | null;
  memoryProfile: MemoryProfile | null;
  errors: string[];
}

/** A call counts as carried when its tones arrived and its process kept real time. */
export const toneTarget = 0.98;
export const keepUpTarget = 0.98;

export function keptUp(result: ConcurrencyResult): boolean {
  return (result.clockKeepUp ?? 1) >= keepUpTarget && (result.toneFractionMin ?? 0) >= toneTarget;
}

/** Least-squares slope of y over x. */
export function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - mx) * (y - my);
    denominator += (x - mx) ** 2;
  }
  return denominator === 0 ? NaN : numerator / denominator;
}

function fixed(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export interface Headline {
  /** The N whose per-call figures are reported: the largest that kept real time. */
  calls: number;
  callsRun: number[];
  /** The largest N run, and whether it kept real time with every tone. */
  maxCallsRun: number;
  maxCallsKeptUp: boolean;
  maxCallsClockKeepUp: number | null;
  maxCallsToneFractionMin: number | null;
  cpuPerCallPct: number;
  floorPerCallPct: number;
  ratioToFloor: number;
  rssPerCallMiB: number;
  threads: number;
  threadsByCalls: Record<string, number>;
  threadsPerCall: number;
  toneFractionMin: number | null;
  setupMedianMs: number | null;
  setupP95Ms: number | null;
  exchangeSetupMedianMs: number | null;
  exchangeSetupP95Ms: number | null;
  mouthToEarMedianMs: number | null;
  mouthToEarP95Ms: number | null;
  mouthToEarDelayedMedianMs: number | null;
  handshakesPerSecond: number | null;
}

export function headline(results: BenchResults): Headline {
  const runs = results.concurrency.filter((r) => r.calls > 0 && r.workerThreads === 1);
  const largest = runs.reduce<ConcurrencyResult | undefined>(
    (best, r) => (best === undefined || r.calls > best.calls ? r : best),
    undefined,
  );
  const kept = runs.filter(keptUp);
  const reported =
    kept.reduce<ConcurrencyResult | undefined>(
      (best, r) => (best === undefined || r.calls > best.calls ? r : best),
      undefined,
    ) ?? largest;
  const floor = results.floors.find((f) => f.calls === reported?.calls);
  const fractions = runs.map((r) => r.toneFractionMin ?? 0);
  const threadsByCalls: Record<string, number> = {};
  for (const r of runs) threadsByCalls[String(r.calls)] = r.threads;
  const direct = results.latency?.paths.find((p) => p.path === 'direct');
  const delayed = results.latency?.paths.find((p) => p.path === 'delayed');
  const cpu = reported?.cpuPerCallPct ?? NaN;
  const floorPct = floor?.perCallPct ?? NaN;
  return {
    calls: reported?.calls ?? 0,
    callsRun: runs.map((r) => r.calls),
    maxCallsRun: largest?.calls ?? 0,
    maxCallsKeptUp: largest ? keptUp(largest) : false,
    maxCallsClockKeepUp: largest?.clockKeepUp ?? null,
    maxCallsToneFractionMin: largest?.toneFractionMin ?? null,
    cpuPerCallPct: fixed(cpu, 2),
    floorPerCallPct: fixed(floorPct, 3),
    ratioToFloor: fixed(cpu / floorPct, 2),
    rssPerCallMiB: fixed(slope(runs.map((r) => [r.calls, r.rssMiB])), 2),
    threads: reported?.threads ?? 0,
    threadsByCalls,
    threadsPerCall: fixed(slope(runs.map((r) => [r.calls, r.threads])), 2),
    toneFractionMin: fractions.length ? Math.min(...fractions) : null,
    setupMedianMs: results.setup?.engine.medianMs ?? null,
    setupP95Ms: results.setup?.engine.p95Ms ?? null,
    exchangeSetupMedianMs: results.setup?.exchange?.medianMs ?? null,
    exchangeSetupP95Ms: results.setup?.exchange?.p95Ms ?? null,
    mouthToEarMedianMs: direct?.medianMs ?? null,
    mouthToEarP95Ms: direct?.p95Ms ?? null,
    mouthToEarDelayedMedianMs: delayed?.medianMs ?? null,
    handshakesPerSecond: results.crypto?.handshakesPerSecond ?? null,
  };
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export function targetChecks(results: BenchResults, h: Headline): TargetCheck[] {
  const forty = results.concurrency.find((r) => r.calls === 40 && r.workerThreads === 1);
  const checks: TargetCheck[] = [];
  checks.push({
    name: '40 concurrent loopback calls',
    target: `every toneFraction ≥ ${toneTarget}, real time kept (clock ≥ ${keepUpTarget})`,
    measured: forty
      ? `toneFraction min ${forty.toneFractionMin ?? 'n/a'}, clock ${forty.clockKeepUp ?? 'n/a'} of real time`
      : 'not run (quick mode)',
    met: forty ? keptUp(forty) : false,
  });
  checks.push({
    name: 'CPU per call against the libopus floor',
    target: 'ratioToFloor ≤ 1.5',
    measured: `${h.ratioToFloor} (${h.cpuPerCallPct} % vs ${h.floorPerCallPct} % of a core per call, N = ${h.calls})`,
    met: h.ratioToFloor <= 1.5,
  });
  checks.push({
    name: 'RSS per additional call',
    target: '≤ 2 MiB',
    measured: `${h.rssPerCallMiB} MiB`,
    met: h.rssPerCallMiB <= 2,
  });
  checks.push({
    name: 'Threads independent of N',
    target: '0 threads per additional call',
    measured: `${h.threadsPerCall} per call (${Object.entries(h.threadsByCalls)
      .map(([n, t]) => `${t} at N = ${n}`)
      .join(', ')})`,
    met: Math.abs(h.threadsPerCall) < 0.05,
  });
  checks.push({
    name: 'Setup p95, in-process',
    target: '≤ 60 ms',
    measured: h.setupP95Ms === null ? 'not run' : `${h.setupP95Ms} ms`,
    met: h.setupP95Ms !== null && h.setupP95Ms <= 60,
  });
  checks.push({
    name: 'Mouth-to-ear median, loopback, no added delay',
    target: '≤ 60 ms',
    measured: h.mouthToEarMedianMs === null ? 'not run' : `${h.mouthToEarMedianMs} ms`,
    met: h.mouthToEarMedianMs !== null && h.mouthToEarMedianMs <= 60,
  });
  return checks;
}
