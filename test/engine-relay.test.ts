import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { analyseTone } from '../lib/media/analysis';
import { encodeWav, sineTone } from '../lib/media/wav';
import { startPair } from './support/engine-pair';
import { startTurnServer, type TurnServer } from './support/turn-server';

describe('calls through a TURN relay (coturn)', () => {
  let turn: TurnServer;

  beforeAll(async () => {
    turn = await startTurnServer();
  });

  afterAll(async () => {
    await turn.stop();
  });

  const relayServer = () => ({
    host: turn.host,
    port: turn.port,
    login: turn.username,
    password: turn.password,
    isTurn: true,
    isTcp: false,
  });
  const relay = () => [relayServer()];

  it.each(['11.0.0', '10.0.0'] as const)(
    'connects relay-only, selects a relay pair and carries audio through it (%s)',
    async (version) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-relay-'));
      const tone = path.join(dir, 'tone.wav');
      fs.writeFileSync(
        tone,
        encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(700, 2) }),
      );
      const pair = startPair({
        version,
        rtcServers: relay(),
        enableP2P: false,
        callerAudio: { inputWav: tone, loopInput: true },
        calleeAudio: { deliverIncoming: true },
      });
      const heard: Int16Array[] = [];
      pair.callee.on('audio', (frame) => heard.push(frame));
      try {
        await pair.established;
        // Stats are gathered once a second.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const stats = await pair.caller.getStats();
        expect(stats.localCandidateType).toBe('relay');
        expect(stats.bytesReceived).toBeGreaterThan(0);
      } finally {
        await pair.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const samples = new Int16Array(heard.length * 480);
      heard.forEach((frame, i) => {
        samples.set(frame, i * 480);
      });
      const analysis = analyseTone(samples, 48000, 700);
      expect(analysis.dominantHz).toBeCloseTo(700, -1);
      expect(analysis.toneFraction).toBeGreaterThan(0.9);
    },
  );

  it('skips TCP entries and still relays over the UDP entry', async () => {
    const servers = [{ ...relayServer(), isTcp: true, port: 1 }, ...relay()];
    const pair = startPair({ version: '11.0.0', rtcServers: servers, enableP2P: false });
    try {
      await pair.established;
    } finally {
      await pair.stop();
    }
  });

  it('fails within the connect timeout when the TURN credentials are wrong', async () => {
    const wrong = relay().map((server) => ({ ...server, password: 'not-the-password' }));
    const pair = startPair({
      version: '11.0.0',
      rtcServers: wrong,
      enableP2P: false,
      config: { connectTimeoutMs: 3000 },
    });
    const startedAt = Date.now();
    const failure = await new Promise<Error>((resolve) => pair.caller.on('error', resolve));
    expect(Date.now() - startedAt).toBeLessThan(6000);
    expect(failure).toMatchObject({ code: 'CALL_CONNECT_TIMEOUT' });
    await pair.stop();
  });
});
