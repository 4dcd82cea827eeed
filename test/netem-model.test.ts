import * as dgram from 'node:dgram';

import {
  ImpairmentModel,
  burstLossFor,
  mulberry32,
  startImpairedUdpRelay,
  type ImpairmentProfile,
} from '../lib/netem';

/** Feeds `packets` packets of `bytes`, one every `spacingMs`, and returns each one's delivery times. */
function run(
  profile: ImpairmentProfile,
  seed: number,
  packets: number,
  spacingMs = 20,
  bytes = 100,
): { model: ImpairmentModel; fates: number[][] } {
  const model = new ImpairmentModel(profile, seed);
  const fates: number[][] = [];
  for (let i = 0; i < packets; i++) fates.push(model.decide(i * spacingMs, bytes));
  return { model, fates };
}

/** Lengths of the runs of consecutive lost packets. */
function lossRuns(fates: number[][]): number[] {
  const runs: number[] = [];
  let current = 0;
  for (const fate of fates) {
    if (fate.length === 0) current++;
    else if (current > 0) {
      runs.push(current);
      current = 0;
    }
  }
  if (current > 0) runs.push(current);
  return runs;
}

describe('the impairment model', () => {
  it('makes the same decisions for the same seed and different ones for another seed', () => {
    const profile = { loss: 0.1, delayMs: 30, jitterMs: 10, duplicate: 0.05, reorder: 0.05 };
    expect(run(profile, 42, 2000).fates).toEqual(run(profile, 42, 2000).fates);
    expect(run(profile, 43, 2000).fates).not.toEqual(run(profile, 42, 2000).fates);
  });

  it('gives the n-th packet the same random fate whatever the profile of earlier packets', () => {
    // Same draws per packet: packets 500.. are lost exactly when they would have been anyway.
    const steady = run({ loss: 0.2 }, 7, 1000).fates.slice(500);
    const model = new ImpairmentModel({ loss: 0.9, duplicate: 0.5, jitterMs: 50 }, 7);
    for (let i = 0; i < 500; i++) model.decide(i * 20, 100);
    model.setProfile({ loss: 0.2 });
    const after = Array.from({ length: 500 }, (_, i) => model.decide((500 + i) * 20, 100));
    expect(after.map((f) => f.length)).toEqual(steady.map((f) => f.length));
  });

  it('loses the configured share of packets at random, within three standard deviations', () => {
    const n = 100_000;
    const { model } = run({ loss: 0.05 }, 1, n);
    const sigma = Math.sqrt(n * 0.05 * 0.95);
    expect(Math.abs(model.counters.dropped.random - n * 0.05)).toBeLessThan(3 * sigma);
    expect(model.counters.delivered).toBe(n - model.counters.dropped.random);
  });

  it('loses packets in bursts of the configured mean length with Gilbert-Elliott', () => {
    const { model, fates } = run({ burstLoss: burstLossFor(0.1, 4) }, 3, 200_000);
    expect(model.counters.dropped.burst / model.counters.packets).toBeCloseTo(0.1, 2);
    const runs = lossRuns(fates);
    const meanRun = runs.reduce((a, b) => a + b, 0) / runs.length;
    expect(meanRun).toBeGreaterThan(3.7);
    expect(meanRun).toBeLessThan(4.3);
    // Independent loss at the same rate has a mean run of 1 / (1 - 0.1) ≈ 1.11 packets.
    const independent = lossRuns(run({ loss: 0.1 }, 3, 200_000).fates);
    expect(independent.reduce((a, b) => a + b, 0) / independent.length).toBeLessThan(1.2);
  });

  it('delays each packet by delayMs ± jitterMs, which reorders packets closer than the jitter', () => {
    const { fates } = run({ delayMs: 100, jitterMs: 30 }, 5, 5000);
    const delays = fates.map((f, i) => (f[0] ?? NaN) - i * 20);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(70);
    expect(Math.max(...delays)).toBeLessThanOrEqual(130);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeCloseTo(100, 0);
    const overtaken = fates.filter((f, i) => i > 0 && (f[0] ?? 0) < (fates[i - 1]?.[0] ?? 0));
    expect(overtaken.length).toBeGreaterThan(500);
  });

  it('holds back the configured share of packets so that later ones overtake them', () => {
    const { model, fates } = run({ reorder: 0.1, reorderGapMs: 50 }, 9, 10_000);
    expect(model.counters.heldBack / 10_000).toBeCloseTo(0.1, 1);
    const late = fates.filter((f, i) => (f[0] ?? 0) - i * 20 === 50).length;
    expect(late).toBe(model.counters.heldBack);
  });

  it('delivers the configured share of packets twice', () => {
    const { model, fates } = run({ duplicate: 0.05 }, 11, 20_000);
    const doubled = fates.filter((f) => f.length === 2).length;
    expect(doubled).toBe(model.counters.duplicated);
    expect(doubled / 20_000).toBeCloseTo(0.05, 2);
    expect(model.counters.delivered).toBe(20_000 + doubled);
  });

  it('serialises packets at the bandwidth cap and tail-drops beyond the queue limit', () => {
    // 200 kbit/s offered (1000 bytes every 40 ms) into a 100 kbit/s cap with a 200 ms queue.
    const { model, fates } = run({ rateKbps: 100, queueMs: 200 }, 1, 1000, 40, 1000);
    const delivered = fates.filter((f) => f.length > 0);
    const lastMs = Math.max(...delivered.map((f) => f[0] ?? 0));
    const kbps = (delivered.length * 1000 * 8) / lastMs;
    expect(kbps).toBeGreaterThan(95);
    expect(kbps).toBeLessThan(101);
    expect(model.counters.dropped.queue).toBeGreaterThan(400);
    // No packet waits longer than the queue limit plus its own serialisation (80 ms).
    fates.forEach((f, i) => {
      if (f[0] !== undefined) expect(f[0] - i * 40).toBeLessThanOrEqual(280);
    });
  });

  it('drops every packet of a blackout and none outside it', () => {
    const model = new ImpairmentModel({}, 1);
    model.addBlackout(1000, 500);
    const fates = Array.from({ length: 100 }, (_, i) => model.decide(i * 20, 100));
    fates.forEach((f, i) => {
      expect(f.length).toBe(i * 20 >= 1000 && i * 20 < 1500 ? 0 : 1);
    });
    expect(model.counters.dropped.blackout).toBe(25);
  });

  it('refuses probabilities outside [0, 1] and negative times with a RangeError naming the field', () => {
    expect(() => new ImpairmentModel({ loss: 1.5 }, 1)).toThrow(/loss/);
    expect(() => new ImpairmentModel({ jitterMs: -1 }, 1)).toThrow(RangeError);
    expect(() => burstLossFor(1, 3)).toThrow(RangeError);
  });

  it('draws from mulberry32 deterministically in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('the impaired UDP relay', () => {
  /** A UDP echo server and a client socket, both on loopback. */
  async function echoSetup(): Promise<{
    echo: dgram.Socket;
    client: dgram.Socket;
    received: number[];
    close(): Promise<void>;
  }> {
    const echo = dgram.createSocket('udp4');
    echo.on('message', (message, remote) => {
      echo.send(message, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => echo.bind(0, '127.0.0.1', resolve));
    const client = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    const received: number[] = [];
    client.on('message', (message) => received.push(message.readUInt32BE(0)));
    return {
      echo,
      client,
      received,
      close: async () => {
        await Promise.all(
          [echo, client].map(
            (s) =>
              new Promise<void>((resolve) => {
                s.close(() => {
                  resolve();
                });
              }),
          ),
        );
      },
    };
  }

  async function sendNumbered(client: dgram.Socket, port: number, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const packet = Buffer.alloc(64);
      packet.writeUInt32BE(i, 0);
      client.send(packet, port, '127.0.0.1');
      if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  it('forwards both ways and loses the same packets for the same seed', async () => {
    const outcomes: number[][] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const setup = await echoSetup();
      const relay = await startImpairedUdpRelay({
        target: { host: '127.0.0.1', port: setup.echo.address().port },
        seed: 17,
        toTarget: { loss: 0.2 },
      });
      await sendNumbered(setup.client, relay.port, 500);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stats = relay.stats();
      expect(stats.toTarget.packets).toBe(500);
      expect(stats.fromTarget.packets).toBe(500 - stats.toTarget.dropped.random);
      expect(setup.received.length).toBe(stats.fromTarget.delivered);
      outcomes.push([...setup.received].sort((a, b) => a - b));
      await relay.close();
      await setup.close();
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]?.length).toBeGreaterThan(350);
    expect(outcomes[0]?.length).toBeLessThan(450);
  });

  it('reorders and duplicates what it forwards and counts it', async () => {
    const setup = await echoSetup();
    const relay = await startImpairedUdpRelay({
      target: { host: '127.0.0.1', port: setup.echo.address().port },
      seed: 3,
      fromTarget: { duplicate: 0.1, delayMs: 20, jitterMs: 15 },
    });
    await sendNumbered(setup.client, relay.port, 300);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = relay.stats().fromTarget;
    expect(setup.received.length).toBe(300 + stats.duplicated);
    expect(stats.duplicated).toBeGreaterThan(10);
    expect(stats.outOfOrder).toBeGreaterThan(0);
    const outOfOrder = setup.received.filter(
      (n, i) => i > 0 && n < Math.max(...setup.received.slice(0, i)),
    );
    expect(outOfOrder.length).toBe(stats.outOfOrder);
    await relay.close();
    await setup.close();
  });

  it('drops everything during a blackout and forwards again after it', async () => {
    const setup = await echoSetup();
    const relay = await startImpairedUdpRelay({
      target: { host: '127.0.0.1', port: setup.echo.address().port },
    });
    relay.blackout(200);
    await sendNumbered(setup.client, relay.port, 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(setup.received).toEqual([]);
    await sendNumbered(setup.client, relay.port, 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(setup.received.length).toBe(50);
    expect(relay.stats().toTarget.dropped.blackout).toBe(50);
    await relay.close();
    await setup.close();
  });

  it('refuses to forward anywhere but loopback', async () => {
    await expect(
      startImpairedUdpRelay({ target: { host: '192.0.2.1', port: 3478 } }),
    ).rejects.toThrow(RangeError);
  });
});
