import { signalingFaultInjector } from '../scripts/faults/signaling-faults';
import { runSignalingFaultCalls } from '../scripts/faults/signaling-calls';
import { startToneCall, type Side } from '../scripts/faults/tone-call';

// Signaling crosses Telegram's servers as separate updates: units get lost, late, doubled
// and out of order. 10.0.0 recovers through its acks and resends, 11.0.0 through SCTP's.
// Seeds are fixed; `npm run faults` runs a thousand calls of these (docs/reliability.md).
describe('calls whose signaling is faulty', () => {
  it.each(['11.0.0', '10.0.0'] as const)(
    'connect with 30 %% of signaling units dropped (%s)',
    async (version) => {
      const result = await runSignalingFaultCalls({
        calls: 4,
        mode: 'loss',
        rate: 0.3,
        seed: 100_011,
        versions: [version],
      });
      expect(result.failures).toEqual({});
      expect(result.connected).toBe(4);
      expect(result.faults.drop).toBeGreaterThan(0); // a few dozen units per run: not a rate check
    },
    120_000,
  );

  it.each(['11.0.0', '10.0.0'] as const)(
    'connect with 30 %% of signaling units dropped, delayed, duplicated or reordered (%s)',
    async (version) => {
      const result = await runSignalingFaultCalls({
        calls: 4,
        mode: 'mixed',
        rate: 0.3,
        seed: 200_000,
        versions: [version],
      });
      expect(result.failures).toEqual({});
      expect(result.connected).toBe(4);
      for (const fault of ['drop', 'delay', 'duplicate', 'reorder'] as const)
        expect(result.faults[fault]).toBeGreaterThan(0);
    },
    120_000,
  );
});

// 11.0.0 retransmits a lost INIT after 1 s and then every second (the backoff cap of
// native/engine/sctp_signaling_transport.cpp). Losing the first six INITs of each side costs
// about 6 s. Upstream's transport doubles the INIT timer without limit and sends the seventh
// INIT at 63 s (0, 1, 3, 7, 15, 31, 63); even a 3 s cap would send it at 15 s. The 11 s bound
// leaves about 4 s for a loaded machine and cannot be met by either.
describe('11.0.0 signaling after a run of lost INITs', () => {
  it('connects soon after the first six INITs of each side are lost', async () => {
    const lostInits: Record<Side, number> = { caller: 0, callee: 0 };
    const startedAt = performance.now();
    const call = startToneCall({
      version: '11.0.0',
      recordAudio: false,
      deliver: (from, unit, send) => {
        // An SCTP packet: 12-byte common header, then the first chunk's type (1 = INIT).
        if (unit.length > 12 && unit[12] === 1 && lostInits[from] < 6) {
          lostInits[from]++;
          return;
        }
        send(unit);
      },
    });
    try {
      await call.established;
      const setupMs = performance.now() - startedAt;
      expect(lostInits).toEqual({ caller: 6, callee: 6 });
      expect(setupMs).toBeGreaterThan(5000); // the INITs really were lost
      expect(setupMs).toBeLessThan(11_000);
    } finally {
      await call.stop();
    }
  }, 60_000);
});

describe('the signaling fault injector', () => {
  it('applies each fault to its share of units, reproducibly for a seed', async () => {
    const deliveries = async (seed: number): Promise<number[]> => {
      const injector = signalingFaultInjector({ mode: 'mixed', rate: 0.3, seed, maxDelayMs: 20 });
      const delivered: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const unit = Buffer.alloc(4);
        unit.writeUInt32BE(i);
        injector.deliver(i % 2 ? 'caller' : 'callee', unit, (data) =>
          delivered.push(data.readUInt32BE()),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      injector.close();
      const { counters } = injector;
      expect(counters.units).toBe(2000);
      const faulty = counters.drop + counters.delay + counters.duplicate + counters.reorder;
      expect(faulty / 2000).toBeCloseTo(0.3, 1);
      for (const fault of ['drop', 'delay', 'duplicate', 'reorder'] as const)
        expect(counters[fault] / faulty).toBeCloseTo(0.25, 1);
      expect(delivered.length).toBe(2000 - counters.drop + counters.duplicate);
      return delivered.sort((a, b) => a - b);
    };
    expect(await deliveries(5)).toEqual(await deliveries(5));
    expect(await deliveries(6)).not.toEqual(await deliveries(5));
  });
});
