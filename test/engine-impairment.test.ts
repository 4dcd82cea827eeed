import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';

import { CallManager, type PhoneCall } from '../lib/calls';
import { createNativeEngine } from '../lib/engine/native-engine';
import { LocalExchange } from '../lib/exchange';
import { measureAudioQuality, type DirectionQuality } from '../scripts/faults/audio-quality';
import { measureBlackout } from '../scripts/faults/blackout';
import { startImpairedPath } from '../scripts/faults/relay-path';
import { encodeWav, sineTone } from '../lib/media/wav';
import { ended, inputUser, waitForState } from './support/call-pair';
import { startPair } from './support/engine-pair';
import { startTurnServer, type TurnServer } from './support/turn-server';

// Every test forces both endpoints through coturn (relay only) behind an impaired UDP relay:
// media, ICE and TURN control all cross the impairment.
describe('calls over an impaired path', () => {
  let turn: TurnServer;

  beforeAll(async () => {
    turn = await startTurnServer();
  });

  afterAll(async () => {
    await turn.stop();
  });

  const bothDirections = (result: {
    callerToCallee: DirectionQuality;
    calleeToCaller: DirectionQuality;
  }): DirectionQuality[] => [result.callerToCallee, result.calleeToCaller];

  it('keeps the received tone continuous at 5 % random loss: no gap over 60 ms', async () => {
    const result = await measureAudioQuality({ turn, profile: { loss: 0.05 }, seed: 1 });
    expect(result.connected).toBe(true);
    expect(result.localCandidateType).toBe('relay');
    expect(result.relayLoss).toBeGreaterThan(0.02);
    expect(result.relayLoss).toBeLessThan(0.09);
    for (const direction of bothDirections(result)) {
      expect(direction.longestGapMs).toBeLessThanOrEqual(60);
      expect(direction.gapsOver60Ms).toBe(0);
    }
  });

  it('stays connected at 20 % random loss with the right pitch in 95 % of 100 ms windows', async () => {
    const result = await measureAudioQuality({ turn, profile: { loss: 0.2 }, seed: 2 });
    expect(result.connected).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.relayLoss).toBeGreaterThan(0.15);
    for (const direction of bothDirections(result)) {
      expect(direction.dominantHz).toBeCloseTo(direction.expectedHz, -1);
      expect(direction.toneFraction).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('stays connected at 100 ms ± 30 ms jitter with the right pitch in 95 % of 100 ms windows', async () => {
    const result = await measureAudioQuality({
      turn,
      profile: { delayMs: 100, jitterMs: 30 },
      seed: 3,
    });
    expect(result.connected).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.relayOutOfOrder).toBeGreaterThan(50); // the jitter did reorder packets
    for (const direction of bothDirections(result)) {
      expect(direction.dominantHz).toBeCloseTo(direction.expectedHz, -1);
      expect(direction.toneFraction).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('measures the path it runs on: RTT from the added delay, loss from the dropped share, jitter', async () => {
    // Every packet of both directions crosses the impaired leg once: 60 ± 10 ms each way
    // (so an RTT of about 120 ms over loopback), 10 % of packets lost.
    const path = await startImpairedPath(turn, {
      seed: 7,
      profile: { delayMs: 60, jitterMs: 10, loss: 0.1 },
    });
    const tone = fs.mkdtempSync(join(os.tmpdir(), 'tgcalls-stats-'));
    const toneFile = join(tone, 'tone.wav');
    fs.writeFileSync(
      toneFile,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(700, 2) }),
    );
    const pair = startPair({
      version: '11.0.0',
      rtcServers: path.servers,
      enableP2P: false,
      config: { connectTimeoutMs: 20_000 },
      callerAudio: { inputWav: toneFile, loopInput: true },
      calleeAudio: { inputWav: toneFile, loopInput: true },
    });
    try {
      await pair.established;
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const stats = await pair.caller.getStats();
      expect(stats.localCandidateType).toBe('relay');
      expect(stats.rttMs).toBeGreaterThan(100);
      expect(stats.rttMs).toBeLessThan(400);
      expect(stats.packetLoss).toBeGreaterThan(0.03);
      expect(stats.packetLoss).toBeLessThan(0.25);
      expect(stats.packetsLost).toBeGreaterThan(0);
      expect(stats.jitterMs).toBeGreaterThan(1);
      expect(stats.jitterMs).toBeLessThan(100);
    } finally {
      await pair.stop();
      await path.close();
      fs.rmSync(tone, { recursive: true, force: true });
    }
  });

  it('recovers by itself within 3 s of the path returning after a 5 s blackout, reporting reconnecting then established', async () => {
    const result = await measureBlackout({ turn, blackoutMs: 5000, seed: 4 });
    expect(result.errors).toEqual([]);
    expect(result.recovered).toBe(true);
    expect(result.recoveryMs).toBeLessThan(3000);
    for (const side of ['caller', 'callee'] as const) {
      const states = result.events.filter((e) => e.side === side).map((e) => e.event);
      expect(states).toEqual(['reconnecting', 'established']);
      const reconnecting = result.events.find((e) => e.side === side && e.event === 'reconnecting');
      expect(reconnecting?.atMs).toBeLessThan(0); // said during the blackout, not after
    }
  });

  it('ends with CALL_PACKET_TIMEOUT on both sides when a blackout outlasts the packet timeout', async () => {
    const result = await measureBlackout({
      turn,
      blackoutMs: 8000,
      packetTimeoutMs: 3000,
      seed: 5,
    });
    expect(result.recovered).toBe(false);
    expect(result.errors).toEqual(['CALL_PACKET_TIMEOUT', 'CALL_PACKET_TIMEOUT']);
    // Statistics are read once a second: the timeout fires between 3 and 5 s of silence.
    expect(result.failedAfterMs).toBeGreaterThanOrEqual(3000);
    expect(result.failedAfterMs).toBeLessThan(8000);
  });

  it('ends a PhoneCall with reason disconnect when a blackout outlasts the packet timeout', async () => {
    const path = await startImpairedPath(turn, { seed: 6 });
    const server = path.servers[0];
    if (!server) throw new Error('no relay entry');
    const exchange = new LocalExchange({
      p2pAllowed: false,
      connections: [
        {
          _: 'phoneConnectionWebrtc',
          turn: true,
          stun: false,
          id: 1n,
          ip: server.host,
          ipv6: '',
          port: server.port,
          username: server.login,
          password: server.password,
        },
      ],
    });
    const managers = [1n, 2n].map(
      (userId) =>
        new CallManager({
          transport: exchange.connect(userId),
          engineFactory: createNativeEngine,
          timeouts: { connectMs: 20_000, packetMs: 3000 },
        }),
    );
    const [caller, callee] = managers as [CallManager, CallManager];
    try {
      const ringing = new Promise<PhoneCall>((resolve) => callee.once('incomingCall', resolve));
      const outgoing = caller.call(inputUser(2n));
      const incoming = await ringing;
      await incoming.accept();
      await Promise.all([
        waitForState(outgoing, 'established'),
        waitForState(incoming, 'established'),
      ]);
      path.relay.blackout(10_000);
      const infos = await Promise.all([ended(outgoing), ended(incoming)]);
      // Both end with reason disconnect. The side whose packet timeout fires first fails with
      // the engine's error and discards; the server's phoneCallDiscarded may then end the
      // other side before its own timer fires, without an error of its own.
      for (const info of infos) expect(info.reason).toBe('disconnect');
      const failed = infos.filter((info) => info.error !== undefined);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      for (const info of failed) {
        expect(info.error?.code).toBe('CALL_ENGINE_FAILED');
        expect((info.error?.cause as { code?: string } | undefined)?.code).toBe(
          'CALL_PACKET_TIMEOUT',
        );
      }
    } finally {
      await Promise.all(managers.map((manager) => manager.close()));
      await exchange.close();
      await path.close();
    }
  }, 60_000);
});
