import { createHash } from 'node:crypto';

import type { PhoneCall } from '../lib/calls';
import { telegramDhPrime } from '../lib/crypto';
import { RpcError } from '../lib/exchange';
import { TgCallsError, type TgCallsErrorCode } from '../lib/errors';
import type { PhoneCallDiscardReason } from '../lib/tl';
import {
  bob,
  carol,
  closeWorldsAfterEach,
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
const openWorld = closeWorldsAfterEach();

/** `value` as 256 big-endian bytes. */
function bigEndian(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(512, '0'), 'hex');
}

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
async function expectFailure(
  world: CallWorld,
  call: PhoneCall,
  side: 0 | 1,
  code: TgCallsErrorCode,
): Promise<void> {
  const errors: TgCallsError[] = [];
  call.on('error', (error) => errors.push(error));
  const info = await ended(call);
  expect(info.error?.code).toBe(code);
  expect(info.reason).toBe('disconnect');
  if (errors.length > 0) expect(errors[0]?.code).toBe(code);
  const reasons = party(world, side)
    .transport.sent('phone.discardCall')
    .map((discard): PhoneCallDiscardReason => discard.reason);
  expect(reasons).toEqual([{ _: 'phoneCallDiscardReasonDisconnect' }]);
}

describe('checks that end a call cleanly', () => {
  it('rejects a g_b out of range (DH_OUT_OF_RANGE)', async () => {
    const world = openWorld();
    const tooSmall = Buffer.alloc(256);
    tooSmall[255] = 2;
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => ({ ...call, g_b: tooSmall }));
    const { outgoing, incoming } = await startCall(world);
    const error = nextEvent(outgoing, 'error');
    expect((await error)[0].code).toBe('DH_OUT_OF_RANGE');
    await expectFailure(world, outgoing, 0, 'DH_OUT_OF_RANGE');
    expect(await ended(incoming)).toMatchObject({ reason: 'disconnect', endedBy: 'remote' });
    expect(world.engines).toEqual([]);
  });

  // The hash check passes here (the server's g_a_hash is rewritten to match): only the range
  // check of spec §2.3 stands between the callee and a weak key.
  it.each([
    ['2 (too small)', () => Buffer.concat([Buffer.alloc(255), Buffer.from([2])])],
    ['p - 1 (too large)', () => bigEndian(BigInt(`0x${telegramDhPrime().toString('hex')}`) - 1n)],
  ])('rejects a g_a of %s that matches its g_a_hash (DH_OUT_OF_RANGE)', async (_name, badGA) => {
    const world = openWorld();
    const gA = badGA();
    party(world, 1).transport.tampering.update = (update) => {
      const { phone_call: call } = update as { phone_call?: Record<string, unknown> };
      if (call?._ === 'phoneCallRequested') {
        const hash = createHash('sha256').update(gA).digest();
        return { ...(update as object), phone_call: { ...call, g_a_hash: hash } };
      }
      if (call?._ === 'phoneCall') {
        return { ...(update as object), phone_call: { ...call, g_a_or_b: gA } };
      }
      return update;
    };
    const { outgoing, incoming } = await startCall(world);
    await expectFailure(world, incoming, 1, 'DH_OUT_OF_RANGE');
    expect(await ended(outgoing)).toMatchObject({ reason: 'disconnect', endedBy: 'remote' });
    // No key was derived from it: the callee never started an engine.
    expect(world.engines.filter((engine) => !engine.options.isOutgoing)).toEqual([]);
  });

  it('rejects a g_a that does not match g_a_hash (G_A_HASH_MISMATCH)', async () => {
    const world = openWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => {
      const gA = Buffer.from(call.g_a_or_b as Uint8Array);
      gA[100] = (gA[100] ?? 0) ^ 1;
      return { ...call, g_a_or_b: gA };
    });
    const { incoming } = await startCall(world);
    await expectFailure(world, incoming, 1, 'G_A_HASH_MISMATCH');
  });

  it('rejects a key_fingerprint that does not match the callee key (KEY_FINGERPRINT_MISMATCH)', async () => {
    const world = openWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => ({
      ...call,
      key_fingerprint: (call.key_fingerprint as bigint) ^ 1n,
    }));
    const { incoming } = await startCall(world);
    await expectFailure(world, incoming, 1, 'KEY_FINGERPRINT_MISMATCH');
  });

  it('checks the fingerprint echoed in the confirmCall result on the caller side', async () => {
    const world = openWorld();
    party(world, 0).transport.tampering.result = (request, result) => {
      if (request._ !== 'phone.confirmCall') return result;
      const { phone_call: call } = result as { phone_call: { key_fingerprint: bigint } };
      return {
        ...(result as object),
        phone_call: { ...call, key_fingerprint: call.key_fingerprint + 1n },
      };
    };
    const { outgoing } = await startCall(world);
    await expectFailure(world, outgoing, 0, 'KEY_FINGERPRINT_MISMATCH');
  });

  it('rejects a constructor with another access_hash (CALL_ACCESS_HASH_MISMATCH)', async () => {
    const world = openWorld();
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => ({
      ...call,
      access_hash: (call.access_hash as bigint) + 1n,
    }));
    const { outgoing } = await startCall(world);
    await expectFailure(world, outgoing, 0, 'CALL_ACCESS_HASH_MISMATCH');
  });

  it('rejects a constructor naming other parties (CALL_PARTICIPANT_MISMATCH)', async () => {
    const world = openWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => ({ ...call, admin_id: carol }));
    const { incoming } = await startCall(world);
    await expectFailure(world, incoming, 1, 'CALL_PARTICIPANT_MISMATCH');
  });

  it('rejects an unknown constructor (TL_MALFORMED)', async () => {
    const world = openWorld();
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => ({
      ...call,
      _: 'phoneCallAcceptedV2',
    }));
    const { outgoing } = await startCall(world);
    await expectFailure(world, outgoing, 0, 'TL_MALFORMED');
  });

  it('rejects a constructor with a missing field (TL_MALFORMED)', async () => {
    const world = openWorld();
    rewriteUpdates(world, 0, 'phoneCallAccepted', (call) => {
      const copy = { ...call };
      delete copy.g_b;
      return copy;
    });
    const { outgoing } = await startCall(world);
    await expectFailure(world, outgoing, 0, 'TL_MALFORMED');
    expect(outgoing.endInfo?.error?.message).toContain('phone_call.g_b');
  });

  it('rejects a field of the wrong type (TL_MALFORMED) without echoing its value', async () => {
    const world = openWorld();
    rewriteUpdates(world, 1, 'phoneCall', (call) => ({ ...call, key_fingerprint: 12345 }));
    const { incoming } = await startCall(world);
    await expectFailure(world, incoming, 1, 'TL_MALFORMED');
    expect(incoming.endInfo?.error?.message).not.toContain('12345');
  });

  it('fails both sides when the server chose a version the engine lacks (CALL_NO_COMMON_VERSION)', async () => {
    const world = openWorld({ exchange: { chooseVersions: () => ['9.0.0'] } });
    const { outgoing, incoming } = await startCall(world);
    const [callerEnd, calleeEnd] = await Promise.all([ended(outgoing), ended(incoming)]);
    expect(callerEnd.error?.code).toBe('CALL_NO_COMMON_VERSION');
    expect(callerEnd.reason).toBe('disconnect');
    // The callee either fails the same way or learns of the caller's discard first.
    expect(calleeEnd.reason).toBe('disconnect');
    expect(world.engines).toEqual([]);
  });

  it('fails with CALL_NO_COMMON_VERSION when the server sends no common version at all', async () => {
    const world = openWorld({ exchange: { chooseVersions: () => [] } });
    const { outgoing } = await startCall(world);
    const info = await ended(outgoing);
    expect(info.error?.code).toBe('CALL_NO_COMMON_VERSION');
    expect(info.error?.message).toContain('2.4.4');
  });

  it('turns an RPC error into CALL_RPC_FAILED with Telegram’s error text', async () => {
    const world = openWorld();
    const outgoing = party(world, 0).manager.call(inputUser(carol)); // not registered
    const info = await ended(outgoing);
    expect(info.error?.code).toBe('CALL_RPC_FAILED');
    expect(info.error?.message).toContain('USER_ID_INVALID');
    expect(info.error?.cause).toBeInstanceOf(RpcError);
    expect(party(world, 0).transport.sent('phone.discardCall')).toEqual([]);
  });

  it('fails a call whose signaling the server refuses', async () => {
    const world = openWorld();
    party(world, 0).transport.tampering.result = (request, result) =>
      request._ === 'phone.sendSignalingData' ? false : result;
    const { outgoing } = await startCall(world);
    await expectFailure(world, outgoing, 0, 'CALL_RPC_FAILED');
  });
});

describe('update routing', () => {
  it('ignores duplicate updates for a state already handled', async () => {
    const world = openWorld();
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
    const world = openWorld();
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

  it('drops signaling data for an ended call, with a debug log', async () => {
    const lines: string[] = [];
    const world = openWorld({ manager: { logger: { debug: (line) => lines.push(line) } } });
    const { outgoing } = await establishedCall(world);
    await outgoing.hangUp();
    const callerEngine = world.engines.find((engine) => engine.options.isOutgoing);
    const receivedBefore = callerEngine?.received.length;
    expect(receivedBefore).toBe(1);
    const id = outgoing.id ?? 0n;
    party(world, 0).manager.handleUpdate({
      _: 'updatePhoneCallSignalingData',
      phone_call_id: id,
      data: Buffer.from('late unit'),
    });
    party(world, 0).manager.handleUpdate({
      _: 'updatePhoneCall',
      phone_call: { _: 'phoneCallDiscarded', id },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toContain(`signaling data for ended call ${id} dropped`);
    expect(lines).toContain(`phoneCallDiscarded for ended call ${id} dropped`);
    expect(callerEngine?.received).toHaveLength(1);
    expect(outgoing.endInfo?.reason).toBe('hangup');
  });

  it('logs unknown custom_parameters keys at debug level and hands the engine the known ones', async () => {
    const debug: string[] = [];
    const warnings: string[] = [];
    const world = openWorld({
      exchange: { customParameters: '{"network_use_mtproto":true,"surprise_key":1}' },
      manager: {
        logger: { debug: (line) => debug.push(line), warn: (line) => warnings.push(line) },
      },
    });
    const { outgoing, incoming } = await establishedCall(world);
    for (const call of [outgoing, incoming]) {
      expect(debug).toContain(
        `call ${call.direction === 'outgoing' ? `to ${bob}` : call.id}: ` +
          'custom_parameters: unknown key "surprise_key" ignored',
      );
    }
    expect(debug.filter((line) => line.includes('network_use_mtproto'))).toEqual([]);
    expect(warnings).toEqual([]);
    expect(world.engines.map((engine) => engine.options.customParameters)).toEqual([
      { network_use_mtproto: true },
      { network_use_mtproto: true },
    ]);
  });

  it('drops data for unknown calls and ignores what is not a phone update', async () => {
    const lines: string[] = [];
    const world = openWorld({ manager: { logger: { debug: (line) => lines.push(line) } } });
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
    const world = openWorld({ manager: { logger: { debug: sink, info: sink, warn: sink } } });
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
    const world = openWorld({ users: [bob, carol] });
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
