import type { PhoneCallEvents } from '../lib/calls';
import {
  alice,
  bob,
  closeWorldsAfterEach,
  ended,
  establishedCall,
  incomingCall,
  inputUser,
  nextEvent,
  party,
  waitForState,
} from './support/call-pair';

const openWorld = closeWorldsAfterEach();

describe('a call through the LocalExchange', () => {
  it('runs both flows to established with the same key material on both sides', async () => {
    const world = openWorld();
    const caller = party(world, 0);
    const callee = party(world, 1);
    const states: Record<string, string[]> = { outgoing: [], incoming: [] };
    const emoji: Record<string, Parameters<PhoneCallEvents['emoji']>> = {};

    const ringing = incomingCall(callee.manager);
    const outgoing = caller.manager.call(inputUser(bob));
    outgoing.on('state', (state) => states.outgoing?.push(state));
    outgoing.on('emoji', (...args) => (emoji.outgoing = args));
    const incoming = await ringing;
    incoming.on('state', (state) => states.incoming?.push(state));
    incoming.on('emoji', (...args) => (emoji.incoming = args));
    expect(incoming.state).toBe('incoming');
    expect(incoming.peerUserId).toBe(alice);
    await waitForState(outgoing, 'ringing');

    const established = Promise.all([
      waitForState(outgoing, 'established'),
      waitForState(incoming, 'established'),
    ]);
    await incoming.accept();
    await established;

    expect(states.outgoing).toEqual([
      'waiting',
      'ringing',
      'exchangingKeys',
      'connecting',
      'established',
    ]);
    expect(states.incoming).toEqual(['accepting', 'exchangingKeys', 'connecting', 'established']);
    const [callerEngine, calleeEngine] = world.engines;
    expect(world.engines).toHaveLength(2);
    expect(callerEngine?.options.isOutgoing).toBe(true);
    expect(calleeEngine?.options.isOutgoing).toBe(false);
    // One key: the same bytes, fingerprints and emoji on both sides.
    expect(callerEngine?.keyBytes.equals(calleeEngine?.keyBytes ?? Buffer.alloc(0))).toBe(true);
    expect(callerEngine?.keyFingerprint).toBe(calleeEngine?.keyFingerprint);
    expect(outgoing.keyFingerprint).toBe(callerEngine?.keyFingerprint);
    expect(incoming.keyFingerprint).toBe(outgoing.keyFingerprint);
    expect(emoji.outgoing?.[0]).toHaveLength(4);
    expect(emoji.outgoing).toEqual(emoji.incoming);
    expect(outgoing.emoji).toEqual(incoming.emoji);
    // The fingerprint the caller sent in confirmCall is the key's.
    expect(caller.transport.sent('phone.confirmCall')[0]?.key_fingerprint).toBe(
      outgoing.keyFingerprint,
    );
    expect(outgoing.id).toBe(incoming.id);
  });

  it('advertises the same phoneCallProtocol in requestCall, acceptCall and confirmCall', async () => {
    const world = openWorld({ manager: { protocolVersions: ['11.0.0', '10.0.0'] } });
    await establishedCall(world);
    const expected = {
      _: 'phoneCallProtocol',
      udp_p2p: true,
      udp_reflector: true,
      min_layer: 65,
      max_layer: 92,
      library_versions: ['11.0.0', '10.0.0'],
    };
    const caller = party(world, 0).transport;
    const callee = party(world, 1).transport;
    expect(caller.sent('phone.requestCall')[0]?.protocol).toEqual(expected);
    expect(callee.sent('phone.acceptCall')[0]?.protocol).toEqual(expected);
    expect(caller.sent('phone.confirmCall')[0]?.protocol).toEqual(expected);
    expect(caller.sent('messages.getDhConfig')[0]).toEqual({
      _: 'messages.getDhConfig',
      version: 0,
      random_length: 256,
    });
    expect(callee.sent('phone.receivedCall')).toHaveLength(1);
  });

  it('asks for the DH config with the cached version and gets dhConfigNotModified', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world);
    await outgoing.hangUp();
    await establishedCall(world);
    const versions = party(world, 0)
      .transport.sent('messages.getDhConfig')
      .map((request) => request.version);
    expect(versions).toEqual([0, 1]);
  });

  it('runs the version element 0 of the final protocol names', async () => {
    const world = openWorld({ manager: { protocolVersions: ['10.0.0', '11.0.0'] } });
    const { outgoing, incoming } = await establishedCall(world);
    // The exchange ranks common versions highest first: 11.0.0 for both.
    expect(outgoing.version).toBe('11.0.0');
    expect(incoming.version).toBe('11.0.0');
    expect(world.engines.map((engine) => engine.options.version)).toEqual(['11.0.0', '11.0.0']);
  });

  it('takes enableP2P from p2p_allowed and maps connections to rtcServers', async () => {
    const world = openWorld({
      exchange: {
        p2pAllowed: false,
        connections: [
          {
            _: 'phoneConnectionWebrtc',
            turn: true,
            stun: true,
            id: 7n,
            ip: '127.0.0.1',
            ipv6: '',
            port: 3478,
            username: 'user',
            password: 'secret',
          },
          {
            _: 'phoneConnection',
            tcp: true,
            id: 9n,
            ip: '127.0.0.2',
            ipv6: '::1',
            port: 596,
            peer_tag: Buffer.alloc(16, 0xab),
          },
          {
            _: 'phoneConnection',
            id: 3n,
            ip: '127.0.0.3',
            ipv6: '',
            port: 597,
            peer_tag: Buffer.alloc(16, 0x01),
          },
        ],
        customParameters: '{"network_use_mtproto":true,"surprise":1}',
      },
    });
    const { outgoing, incoming } = await establishedCall(world);
    for (const engine of world.engines) {
      expect(engine.options.enableP2P).toBe(false);
      // Reflectors are unusable by 10/11: the engine gets the STUN/TURN entries only.
      expect(engine.options.rtcServers).toEqual([
        { host: '127.0.0.1', port: 3478, login: '', password: '', isTurn: false, isTcp: false },
        {
          host: '127.0.0.1',
          port: 3478,
          login: 'user',
          password: 'secret',
          isTurn: true,
          isTcp: false,
        },
      ]);
      expect(engine.options.customParameters).toEqual({ network_use_mtproto: true });
      expect(engine.options.config).toEqual({
        connectTimeoutMs: 2000,
        packetTimeoutMs: 2000,
        enableEchoCancellation: false,
        enableNoiseSuppression: false,
        enableGainControl: false,
      });
    }
    expect(outgoing.p2pAllowed).toBe(false);
    // The full §3.4 mapping: reflector ids ranked by id (3 → 1, 9 → 2), TCP kept but flagged.
    expect(incoming.rtcServers.filter((server) => server.login === 'reflector')).toEqual([
      {
        reflectorId: 2,
        host: '127.0.0.2',
        port: 596,
        login: 'reflector',
        password: 'ab'.repeat(16),
        isTurn: true,
        isTcp: true,
      },
      {
        reflectorId: 2,
        host: '::1',
        port: 596,
        login: 'reflector',
        password: 'ab'.repeat(16),
        isTurn: true,
        isTcp: true,
      },
      {
        reflectorId: 1,
        host: '127.0.0.3',
        port: 597,
        login: 'reflector',
        password: '01'.repeat(16),
        isTurn: true,
        isTcp: false,
      },
    ]);
  });

  it('hands p2p_allowed = true through as enableP2P and exposes conference_supported', async () => {
    const world = openWorld({ exchange: { p2pAllowed: true, conferenceSupported: true } });
    const { outgoing, incoming } = await establishedCall(world);
    expect(world.engines.map((engine) => engine.options.enableP2P)).toEqual([true, true]);
    expect(outgoing.conferenceSupported).toBe(true);
    expect(incoming.conferenceSupported).toBe(true);
  });

  it('treats custom_parameters that are not JSON as {}', async () => {
    const warnings: string[] = [];
    const world = openWorld({
      exchange: { customParameters: '{not json' },
      manager: { logger: { warn: (line) => warnings.push(line) } },
    });
    await establishedCall(world);
    expect(world.engines.map((engine) => engine.options.customParameters)).toEqual([{}, {}]);
    expect(warnings.some((line) => line.includes('custom_parameters'))).toBe(true);
  });

  it('sends signaling only through phone.sendSignalingData once the final phoneCall is in', async () => {
    const world = openWorld();
    await establishedCall(world);
    for (const { transport } of world.parties) {
      const names = transport.requests.map((request) => request._);
      const firstSignaling = names.indexOf('phone.sendSignalingData');
      expect(firstSignaling).toBeGreaterThan(-1);
      // Nothing but signaling after the handshake's last request.
      expect(names.slice(firstSignaling).every((name) => name === 'phone.sendSignalingData')).toBe(
        true,
      );
    }
    // Each engine received exactly the peer's unit.
    expect(world.engines.map((engine) => engine.received.length)).toEqual([1, 1]);
  });

  it('passes the starting video flag to the engine and the discard', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world, { video: true });
    expect(party(world, 0).transport.sent('phone.requestCall')[0]?.video).toBe(true);
    expect(world.engines.map((engine) => engine.options.video)).toEqual([true, true]);
    await outgoing.hangUp();
    expect(party(world, 0).transport.sent('phone.discardCall')[0]?.video).toBe(true);
  });

  it('reports signal bars and the remote media state', async () => {
    const world = openWorld({ engine: { remoteVideo: 'active' } });
    const caller = party(world, 0);
    const callee = party(world, 1);
    const ringing = incomingCall(callee.manager);
    const outgoing = caller.manager.call(inputUser(bob));
    const bars = nextEvent(outgoing, 'signalBars');
    const media = nextEvent(outgoing, 'remoteMediaState');
    await (await ringing).accept();
    expect(await bars).toEqual([4]);
    expect(await media).toEqual(['active', 'active']);
    await outgoing.hangUp();
    // Remote video at any point sets the discard's video flag.
    expect(caller.transport.sent('phone.discardCall')[0]?.video).toBe(true);
    expect((await ended(outgoing)).hadVideo).toBe(true);
  });
});
