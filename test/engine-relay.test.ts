import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
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

  it('skips TCP entries (never contacts them) and still relays over the UDP entry', async () => {
    // A TCP entry that were mapped anyway would become turn:host:port, which WebRTC contacts
    // over UDP (or over TCP with ?transport=tcp): listen for both on its port. A UDP entry
    // pointing at a listener of its own shows that a mapped entry is contacted.
    const tcpEntry = await listenUdpAndTcp();
    const udpEntry = await listenUdpAndTcp();
    const servers = [
      { ...relayServer(), port: tcpEntry.port, isTcp: true },
      { ...relayServer(), port: udpEntry.port, isTcp: false },
      ...relay(),
    ];
    const pair = startPair({ version: '11.0.0', rtcServers: servers, enableP2P: false });
    try {
      await pair.established;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect((await pair.caller.getStats()).localCandidateType).toBe('relay');
    } finally {
      await pair.stop();
      await tcpEntry.close();
      await udpEntry.close();
    }
    expect(udpEntry.datagrams).toBeGreaterThan(0); // TURN allocations to the UDP entry
    expect(tcpEntry.datagrams).toBe(0);
    expect(tcpEntry.connections).toBe(0);
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

/** A UDP socket and a TCP server on the same loopback port, counting what reaches them. */
async function listenUdpAndTcp(): Promise<{
  port: number;
  datagrams: number;
  connections: number;
  close(): Promise<void>;
}> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const { port } = udp.address();
    const tcp = net.createServer();
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => {
        resolve(false);
      });
      tcp.listen(port, '127.0.0.1', () => {
        resolve(true);
      });
    });
    if (!listening) {
      // The port is taken for TCP: try another one.
      await new Promise<void>((resolve) => udp.close(resolve));
      continue;
    }
    const counts = { port, datagrams: 0, connections: 0 };
    udp.on('message', () => counts.datagrams++);
    tcp.on('connection', (socket) => {
      counts.connections++;
      socket.destroy();
    });
    return Object.assign(counts, {
      close: async () => {
        await new Promise<void>((resolve) => udp.close(resolve));
        await new Promise<void>((resolve) =>
          tcp.close(() => {
            resolve();
          }),
        );
      },
    });
  }
}
