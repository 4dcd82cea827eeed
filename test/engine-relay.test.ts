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
    'connects relay-only and selects a relay pair (%s)',
    async (version) => {
      const pair = startPair({ version, rtcServers: relay(), enableP2P: false });
      try {
        await pair.established;
        // Stats are gathered once a second.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const stats = await pair.caller.getStats();
        expect(stats.localCandidateType).toBe('relay');
        expect(stats.bytesReceived).toBeGreaterThan(0);
      } finally {
        await pair.stop();
      }
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
