/**
 * A user with two devices (two clients of the LocalExchange): every device of the callee
 * rings; once one accepts, the others get phoneCallDiscarded (spec §8.2) and can no longer act
 * on the call, and the caller's other devices never could.
 */
import type { PhoneCall } from '../lib/calls';
import type { PhoneCallProtocol, PhoneRequest } from '../lib/tl';
import {
  alice,
  bob,
  closeWorldsAfterEach,
  ended,
  fastTimeouts,
  incomingCall,
  inputUser,
  party,
  waitForState,
  type CallWorld,
} from './support/call-pair';

const openWorld = closeWorldsAfterEach();

const protocol: PhoneCallProtocol = {
  _: 'phoneCallProtocol',
  udp_p2p: true,
  udp_reflector: true,
  min_layer: 65,
  max_layer: 92,
  library_versions: ['11.0.0'],
};

/** alice calls bob; both of bob's devices (parties 1 and 2) ring. */
async function ringBothDevices(world: CallWorld): Promise<{
  outgoing: PhoneCall;
  first: PhoneCall;
  second: PhoneCall;
}> {
  const rings = [incomingCall(party(world, 1).manager), incomingCall(party(world, 2).manager)];
  const outgoing = party(world, 0).manager.call(inputUser(bob));
  const [first, second] = (await Promise.all(rings)) as [PhoneCall, PhoneCall];
  await waitForState(outgoing, 'ringing');
  return { outgoing, first, second };
}

describe('a callee with two devices', () => {
  it('rings both; accepting on one ends the call on the other, which may no longer act on it', async () => {
    const world = openWorld({ users: [alice, bob, bob] });
    const { outgoing, first, second } = await ringBothDevices(world);
    expect(first.id).toBe(second.id);
    const secondEnd = ended(second);
    await first.accept();
    await Promise.all([waitForState(outgoing, 'established'), waitForState(first, 'established')]);

    // The other device got phoneCallDiscarded without a reason and sent nothing itself.
    expect(await secondEnd).toMatchObject({
      reason: 'unspecified',
      endedBy: 'remote',
      duration: 0,
    });
    const secondDevice = party(world, 2).transport;
    expect(secondDevice.sent('phone.discardCall')).toEqual([]);

    // What it may still try is refused with Telegram's errors, and the call goes on.
    const peer = {
      _: 'inputPhoneCall',
      id: first.id ?? 0n,
      access_hash: accessHash(world),
    } as const;
    const refused = (request: PhoneRequest) => secondDevice.invoke(request);
    await expect(
      refused({ _: 'phone.acceptCall', peer, g_b: Buffer.alloc(256, 7), protocol }),
    ).rejects.toMatchObject({ code: 'RPC_ERROR', errorMessage: 'CALL_ALREADY_ACCEPTED' });
    await expect(
      refused({
        _: 'phone.discardCall',
        peer,
        duration: 0,
        reason: { _: 'phoneCallDiscardReasonBusy' },
        connection_id: 0n,
      }),
    ).rejects.toMatchObject({ errorMessage: 'CALL_ALREADY_ACCEPTED' });
    await expect(
      refused({ _: 'phone.sendSignalingData', peer, data: Buffer.from('x') }),
    ).rejects.toMatchObject({ errorMessage: 'CALL_PEER_INVALID' });
    await expect(refused({ _: 'phone.receivedCall', peer })).rejects.toMatchObject({
      errorMessage: 'CALL_PEER_INVALID',
    });
    expect(world.exchange.activeCallIds).toEqual([first.id]);
    expect(world.exchange.discards).toEqual([]);
    expect(outgoing.state).toBe('established');
    expect(first.state).toBe('established');
    // Only the accepting device's engine runs, keyed like the caller's.
    expect(world.engines).toHaveLength(2);
    expect(world.engines[0]?.keyFingerprint).toBe(world.engines[1]?.keyFingerprint);
  });

  it('cannot end the active call when the other device, not told, times out ringing', async () => {
    const world = openWorld({
      users: [alice, bob, bob],
      managers: [{}, {}, { timeouts: { ...fastTimeouts, ringMs: 1000 } }],
    });
    // The second device misses the phoneCallDiscarded that stops its ringing.
    party(world, 2).transport.tampering.update = (update) =>
      (update as { phone_call?: { _: string } }).phone_call?._ === 'phoneCallDiscarded'
        ? undefined
        : update;
    const { outgoing, first, second } = await ringBothDevices(world);
    const established = Promise.all([
      waitForState(outgoing, 'established'),
      waitForState(first, 'established'),
    ]);
    await first.accept();
    await established;

    // Its ring timeout declines as busy; the exchange refuses: the call was accepted elsewhere.
    expect(await ended(second)).toMatchObject({ reason: 'busy', endedBy: 'local' });
    expect(
      party(world, 2)
        .transport.sent('phone.discardCall')
        .map((d) => d.reason),
    ).toEqual([{ _: 'phoneCallDiscardReasonBusy' }]);
    expect(world.exchange.discards).toEqual([]);
    expect(world.exchange.activeCallIds).toEqual([first.id]);
    expect(outgoing.state).toBe('established');
    expect(first.state).toBe('established');

    // The call still ends normally between the two parties.
    const remoteEnd = ended(first);
    await outgoing.hangUp();
    expect(await remoteEnd).toMatchObject({ reason: 'hangup', endedBy: 'remote' });
  });

  it('stops ringing on every device when one declines', async () => {
    const world = openWorld({ users: [alice, bob, bob] });
    const { outgoing, first, second } = await ringBothDevices(world);
    const ends = Promise.all([ended(outgoing), ended(second)]);
    await first.reject();
    const [callerEnd, otherDeviceEnd] = await ends;
    expect(callerEnd).toMatchObject({ reason: 'busy', endedBy: 'remote' });
    expect(otherDeviceEnd).toMatchObject({ reason: 'busy', endedBy: 'remote' });
    expect(party(world, 2).transport.sent('phone.discardCall')).toEqual([]);
    expect(world.exchange.discards.map((discard) => discard.userId)).toEqual([bob]);
  });
});

describe('a caller with two devices', () => {
  it('keeps the call on the calling device: the other gets no updates and may not act', async () => {
    const world = openWorld({ users: [alice, bob, alice] });
    const otherDevice = party(world, 2);
    const seen: unknown[] = [];
    otherDevice.transport.tampering.update = (update) => {
      seen.push(update);
      return update;
    };
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    await Promise.all([
      incoming.accept(),
      waitForState(outgoing, 'established'),
      waitForState(incoming, 'established'),
    ]);
    const peer = {
      _: 'inputPhoneCall',
      id: outgoing.id ?? 0n,
      access_hash: accessHash(world),
    } as const;
    await expect(
      otherDevice.transport.invoke({
        _: 'phone.discardCall',
        peer,
        duration: 0,
        reason: { _: 'phoneCallDiscardReasonHangup' },
        connection_id: 0n,
      }),
    ).rejects.toMatchObject({ errorMessage: 'CALL_PEER_INVALID' });
    expect(seen).toEqual([]);
    expect(otherDevice.manager.calls).toEqual([]);
    expect(outgoing.state).toBe('established');
  });
});

/** The call's access hash, as the callee's first device used it in phone.receivedCall. */
function accessHash(world: CallWorld): bigint {
  const received = party(world, 1).transport.sent('phone.receivedCall')[0];
  if (received === undefined) throw new Error('no receivedCall yet');
  return received.peer.access_hash;
}
