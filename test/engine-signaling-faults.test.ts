import { signalingFaultInjector } from '../scripts/faults/signaling-faults';
import { runSignalingFaultCalls } from '../scripts/faults/signaling-calls';

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
