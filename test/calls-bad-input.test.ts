import type { PhoneCall } from '../lib/calls';
import { RpcError } from '../lib/exchange';
import { TgCallsError, type TgCallsErrorCode } from '../lib/errors';
import type { PhoneCallDiscardReason } from '../lib/tl';
import {
  bob,
  carol,
  createWorld,
  ended,
  establishedCall,
  incomingCall,
  inputUser,
  nextEvent,
  party,
  type CallWorld,
} from './support/call-pair';

// A rejection left unhandled during a test fails that test: jest-circus replaces the process's
// unhandledRejection listeners with its own while tests run (a listener added here never sees
// one; checked). So every test below also proves that no failure escapes as a rejection.
let world: CallWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

type Rewrite = (phoneCall: Record<string, unknown>) => Record<string, unknown>;

/** Rewrites the PhoneCall constructor `name` in the updates `side` receives. */
function rewriteUpdates(world: CallWorld, side: 0 | 1, name: string, rewrite: Rewrite): void {
  party(world, side).transport.tampering.update = (update) => {
    const { phone_call: phoneCall } = update as { phone_call?: Record<string, unknown> };
    if (phoneCall?._ !== name) return update;
    return { ...(update as object), phone_call: rewrite(phoneCall) };
  };
}

/** Starts a call; resolves with both sides once the callee has accepted. */
async function startCall(world: CallWorld): Promise<{ outgoing: PhoneCall; incoming: PhoneCall }> {
  const ringing = incomingCall(party(world, 1).manager);
  const outgoing = party(world, 0).manager.call(inputUser(bob));
  const incoming = await ringing;
  void incoming.accept();
  return { outgoing, incoming };
}

/** The failing side emitted `error` with `code`, ended with it, and discarded with disconnect. */
async function expectFailure(call: PhoneCall, side: 0 | 1, code: TgCallsErrorCode): Promise<void> {
  const errors: TgCallsError[] = [];
  call.on('error', (error) => errors.push(error));
  const info = await ended(call);
  expect(info.error?.code).toBe(code);
  expect(info.reason).toBe('disconnect');
  if (errors.length > 0) expect(errors[0]?.code).toBe(code);
  const reasons = party(world as CallWorld, side)
    .transport.sent('phone.discardCall')
    .map((discard): PhoneCallDiscardReason => discard.reason);
  expect(reasons).toEqual([{ _: 'phoneCallDiscardReasonDisconnect' }]);
}

describe('checks that end a call cleanly', () => {
  it('rejects a g_b out of range (DH_OUT_OF_RANGE)', async () => {
    world = createWorld();
    const tooSmall = Buffer.alloc(256);
    tooSmall[255] = 2;
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => ({ ...call, g_b: tooSmall }));
    const { outgoing, incoming } = await startCall(world);
    const error = nextEvent(outgoing, 'error');
    expect((await error)[0].code).toBe('DH_OUT_OF_RANGE');
    await expectFailure(outgoing, 0, 'DH_OUT_OF_RANGE');
    expect(await ended(incoming)).toMatchObject({ reason: 'disconnect', endedBy: 'remote' });
    expect(world.engines).toEqual([]);
  });

  it('rejects a g_a that does not match g_a_hash (G_A_HASH_MISMATCH)', async () => {
    world = createWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => {
      const gA = Buffer.from(call.g_a_or_b as Uint8Array);
      gA[100] = (gA[100] ?? 0) ^ 1;
      return { ...call, g_a_or_b: gA };
    });
    const { incoming } = await startCall(world);
    await expectFailure(incoming, 1, 'G_A_HASH_MISMATCH');
  });

  it('rejects a key_fingerprint that does not match the callee key (KEY_FINGERPRINT_MISMATCH)', async () => {
    world = createWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => ({
      ...call,
      key_fingerprint: (call.key_fingerprint as bigint) ^ 1n,
    }));
    const { incoming } = await startCall(world);
    await expectFailure(incoming, 1, 'KEY_FINGERPRINT_MISMATCH');
  });

  it('checks the fingerprint echoed in the confirmCall result on the caller side', async () => {
    world = createWorld();
    party(world, 0).transport.tampering.result = (request, result) => {
      if (request._ !== 'phone.confirmCall') return result;
      const { phone_call: call } = result as { phone_call: { key_fingerprint: bigint } };
      return {
        ...(result as object),
        phone_call: { ...call, key_fingerprint: call.key_fingerprint + 1n },
      };
    };
    const { outgoing } = await startCall(world);
    await expectFailure(outgoing, 0, 'KEY_FINGERPRINT_MISMATCH');
  });

  it('rejects a constructor with another access_hash (CALL_ACCESS_HASH_MISMATCH)', async () => {
    world = createWorld();
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => ({
      ...call,
      access_hash: (call.access_hash as bigint) + 1n,
    }));
    const { outgoing } = await startCall(world);
    await expectFailure(outgoing, 0, 'CALL_ACCESS_HASH_MISMATCH');
  });

  it('rejects a constructor naming other parties (CALL_PARTICIPANT_MISMATCH)', async () => {
    world = createWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => ({ ...call, admin_id: carol }));
    const { incoming } = await startCall(world);
    await expectFailure(incoming, 1, 'CALL_PARTICIPANT_MISMATCH');
  });

  it('rejects an unknown constructor (TL_MALFORMED)', async () => {
    world = createWorld();
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => ({
      ...call,
      _: 'phoneCallAcceptedV2',
    }));
    const { outgoing } = await startCall(world);
    await expectFailure(outgoing, 0, 'TL_MALFORMED');
  });

  it('rejects a constructor with a missing field (TL_MALFORMED)', async () => {
    world = createWorld();
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => {
      const copy = { ...call };
      delete copy.g_b;
      return copy;
    });
    const { outgoing } = await startCall(world);
    await expectFailure(outgoing, 0, 'TL_MALFORMED');
    expect(outgoing.endInfo?.error?.message).toContain('phone_call.g_b');
  });

  it('rejects a field of the wrong type (TL_MALFORMED) without echoing its value', async () => {
    world = createWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => ({ ...call, key_fingerprint: 12345 }));
    const { incoming } = await startCall(world);
    await expectFailure(incoming, 1, 'TL_MALFORMED');
    expect(incoming.endInfo?.error?.message).not.toContain('12345');
  });

  it('fails both sides when the server chose a version the engine lacks (CALL_NO_COMMON_VERSION)', async () => {
    world = createWorld({ exchange: { chooseVersions: () => ['9.0.0'] } });
    const { outgoing, incoming } = await startCall(world);
    const [callerEnd, calleeEnd] = await Promise.all([ended(outgoing), ended(incoming)]);
    expect(callerEnd.error?.code).toBe('CALL_NO_COMMON_VERSION');
    expect(callerEnd.reason).toBe('disconnect');
    // The callee either fails the same way or learns of the caller's discard first.
    expect(calleeEnd.reason).toBe('disconnect');
    expect(world.engines).toEqual([]);
  });

  it('fails with CALL_NO_COMMON_VERSION when the server sends no common version at all', async () => {
    world = createWorld({ exchange: { chooseVersions: () => [] } });
    const { outgoing } = await startCall(world);
    const info = await ended(outgoing);
    expect(info.error?.code).toBe('CALL_NO_COMMON_VERSION');
    expect(info.error?.message).toContain('2.4.4');
  });

  it('turns an RPC error into CALL_RPC_FAILED with Telegram’s error text', async () => {
    world = createWorld();
    const outgoing = party(world, 0).manager.call(inputUser(carol)); // not registered
    const info = await ended(outgoing);
    expect(info.error?.code).toBe('CALL_RPC_FAILED');
    expect(info.error?.message).toContain('USER_ID_INVALID');
    expect(info.error?.cause).toBeInstanceOf(RpcError);
    expect(party(world, 0).transport.sent('phone.discardCall')).toEqual([]);
  });

  it('fails a call whose signaling the server refuses', async () => {
    world = createWorld();
    party(world, 0).transport.tampering.result = (request, result) =>
      request._ === 'phone.sendSignalingData' ? false : result;
    const { outgoing } = await startCall(world);
    await expectFailure(outgoing, 0, 'CALL_RPC_FAILED');
  });
});

describe('update routing', () => {
  it('ignores duplicate updates for a state already handled', async () => {
    world = createWorld();
    const callee = party(world, 1);
    callee.transport.tampering.update = (update) => {
      setImmediate(() => {
        callee.manager.handleUpdate(update); // every update arrives twice
      });
      return update;
    };
    const { outgoing, incoming } = await establishedCall(world);
    expect(incoming.state).toBe('established');
    expect(outgoing.state).toBe('established');
    expect(world.engines).toHaveLength(2);
    expect(callee.transport.sent('phone.receivedCall')).toHaveLength(1);
  });

  it('buffers signaling that arrives before the final phoneCall and replays it in order', async () => {
    world = createWorld();
    const callee = party(world, 1);
    let held: unknown;
    callee.transport.tampering.update = (update) => {
      const { _: name, phone_call: call } = update as {
        _: string;
        phone_call?: { _: string; id: bigint };
      };
      if (call?._ === 'phoneCall') {
        held = update;
        // Two units of our own first, then (below) the caller's real one, then the phoneCall.
        for (const text of ['first', 'second']) {
          callee.manager.handleUpdate({
            _: 'updatePhoneCallSignalingData',
            phone_call_id: call.id,
            data: Buffer.from(text),
          });
        }
        return undefined;
      }
      if (name === 'updatePhoneCallSignalingData' && held !== undefined) {
        const final = held;
        held = undefined;
        setImmediate(() => {
          callee.manager.handleUpdate(final);
        });
      }
      return update;
    };
    const { incoming } = await establishedCall(world);
    const calleeEngine = world.engines.find((engine) => !engine.options.isOutgoing);
    expect(calleeEngine?.received.map((unit) => unit.subarray(0, 6).toString())).toEqual([
      'first',
      'second',
      expect.any(String),
    ]);
    expect(incoming.state).toBe('established');
  });

  it('drops data for unknown calls and ignores what is not a phone update', async () => {
    const lines: string[] = [];
    world = createWorld({ manager: { logger: { debug: (line) => lines.push(line) } } });
    const { manager } = party(world, 0);
    for (const update of [null, 42, 'x', { _: 'updateNewMessage' }, {}]) {
      expect(() => {
        manager.handleUpdate(update);
      }).not.toThrow();
    }
    manager.handleUpdate({
      _: 'updatePhoneCallSignalingData',
      phone_call_id: 5n,
      data: Buffer.from('x'),
    });
    manager.handleUpdate({
      _: 'updatePhoneCallSignalingData',
      phone_call_id: 5n,
      data: 'not bytes',
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.some((line) => line.includes('unknown call 5'))).toBe(true);
  });

  it('never logs key material', async () => {
    const lines: string[] = [];
    const sink = (line: string): void => {
      lines.push(line);
    };
    world = createWorld({ manager: { logger: { debug: sink, info: sink, warn: sink } } });
    const { outgoing } = await establishedCall(world);
    await outgoing.hangUp();
    const keyHex = world.engines[0]?.keyBytes.toString('hex') ?? '';
    const gA = party(world, 0).transport.sent('phone.confirmCall')[0]?.g_a ?? new Uint8Array();
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [
      keyHex,
      Buffer.from(gA).toString('hex'),
      Buffer.from(gA).toString('base64'),
    ]) {
      expect(secret.length).toBeGreaterThan(100);
      expect(text).not.toContain(secret.slice(0, 32));
    }
  });
});

describe('the exchange enforces access', () => {
  it('refuses a wrong access hash and a user who is not a party (CALL_PEER_INVALID)', async () => {
    world = createWorld({ users: [bob, carol] });
    const ringing = incomingCall(party(world, 1).manager);
    party(world, 0).manager.call(inputUser(carol));
    const incoming = await ringing;
    const id = incoming.id ?? 0n;
    const callerRequest = party(world, 0).transport.sent('phone.requestCall')[0];
    expect(callerRequest).toBeDefined();
    const stranger = world.exchange.connect(4242n);
    const attempt = (userTransport: typeof stranger, accessHash: bigint) =>
      userTransport.invoke({
        _: 'phone.sendSignalingData',
        peer: { _: 'inputPhoneCall', id, access_hash: accessHash },
        data: Buffer.from('x'),
      });
    await expect(attempt(world.exchange.connect(bob), 1n)).rejects.toMatchObject({
      code: 'RPC_ERROR',
      errorMessage: 'CALL_PEER_INVALID',
    });
    const accessHash = (
      party(world, 1).transport.requests.find((request) => request._ === 'phone.receivedCall') as {
        peer: { access_hash: bigint };
      }
    ).peer.access_hash;
    await expect(attempt(stranger, accessHash)).rejects.toMatchObject({
      errorMessage: 'CALL_PEER_INVALID',
    });
    await incoming.reject();
    await expect(
      world.exchange.connect(carol).invoke({
        _: 'phone.acceptCall',
        peer: { _: 'inputPhoneCall', id, access_hash: accessHash },
        g_b: Buffer.alloc(256, 1),
        protocol: {
          _: 'phoneCallProtocol',
          udp_reflector: true,
          min_layer: 65,
          max_layer: 92,
          library_versions: [],
        },
      }),
    ).rejects.toMatchObject({ errorMessage: 'CALL_ALREADY_DECLINED' });
    stranger.close();
  });
});
