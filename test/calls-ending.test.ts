import { TgCallsError } from '../lib/errors';
import {
  alice,
  bob,
  carol,
  closeWorldsAfterEach,
  ended,
  establishedCall,
  fastTimeouts,
  incomingCall,
  inputUser,
  nextEvent,
  party,
  waitForState,
} from './support/call-pair';

/** Fakes Date only: timers and I/O stay real, and the clock moves only when told to. */
function fakeDateOnly(): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

// Declared before closeWorldsAfterEach's hook, so it runs first: worlds close on real timers.
afterEach(() => {
  jest.useRealTimers();
});

const openWorld = closeWorldsAfterEach();

describe('ending a call', () => {
  it('hangs up: engine stopped first, then discardCall(hangup, duration, connection_id 0)', async () => {
    // Only Date is faked: the call runs on real timers and I/O, and "2.4 s later" is exact.
    fakeDateOnly();
    const world = openWorld();
    const caller = party(world, 0);
    const { outgoing, incoming } = await establishedCall(world);
    jest.setSystemTime(Date.now() + 2400);
    let engineStoppedAtDiscard: boolean | undefined;
    caller.transport.tampering.invoked = (request) => {
      if (request._ === 'phone.discardCall') engineStoppedAtDiscard = world.engines[0]?.stopped;
    };
    const remoteEnd = ended(incoming);
    await outgoing.hangUp();
    expect(engineStoppedAtDiscard).toBe(true);
    const [discard] = caller.transport.sent('phone.discardCall');
    // Seconds since the call was established, rounded (spec §8.6).
    expect(discard).toMatchObject({
      reason: { _: 'phoneCallDiscardReasonHangup' },
      duration: 2,
      connection_id: 0n,
      peer: { _: 'inputPhoneCall', id: outgoing.id },
    });
    expect(discard?.video).toBeUndefined();
    expect(outgoing.state).toBe('ended');
    expect(outgoing.endInfo).toMatchObject({
      reason: 'hangup',
      endedBy: 'local',
      needRating: false,
      duration: 2,
    });
    // The peer learns the duration from the server's phoneCallDiscarded.
    expect(await remoteEnd).toMatchObject({ reason: 'hangup', endedBy: 'remote', duration: 2 });
    expect(world.exchange.discards[0]?.duration).toBe(2);
    expect(world.engines.every((engine) => engine.stopped)).toBe(true);
    expect(world.exchange.activeCallIds).toEqual([]);
  });

  it('rejects an incoming call with reason busy, as official clients decline', async () => {
    const world = openWorld();
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    await incoming.reject();
    expect(party(world, 1).transport.sent('phone.discardCall')[0]?.reason).toEqual({
      _: 'phoneCallDiscardReasonBusy',
    });
    expect(incoming.endInfo).toMatchObject({ reason: 'busy', endedBy: 'local' });
    expect(await ended(outgoing)).toMatchObject({
      reason: 'busy',
      endedBy: 'remote',
      duration: 0,
    });
    expect(() => incoming.accept()).toThrow(TgCallsError);
    expect(() => incoming.reject()).toThrow(
      expect.objectContaining({ code: 'CALL_INVALID_STATE' }) as Error,
    );
  });

  it('rejects with reason hangup when asked, and refuses other reasons', async () => {
    const world = openWorld();
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    expect(() => incoming.reject({ reason: 'missed' as 'busy' })).toThrow(RangeError);
    expect(incoming.state).toBe('incoming');
    await incoming.reject({ reason: 'hangup' });
    expect(
      party(world, 1)
        .transport.sent('phone.discardCall')
        .map((d) => d.reason),
    ).toEqual([{ _: 'phoneCallDiscardReasonHangup' }]);
    expect(await ended(outgoing)).toMatchObject({ reason: 'hangup', endedBy: 'remote' });
  });

  it('declines a call as busy while the callee is in another call', async () => {
    const world = openWorld({ users: [carol, bob, alice] });
    await establishedCall(world); // carol ↔ bob
    const busyCall = party(world, 2).manager.call(inputUser(bob));
    const info = await ended(busyCall);
    expect(info).toMatchObject({ reason: 'busy', endedBy: 'remote' });
    const discards = party(world, 1).transport.sent('phone.discardCall');
    expect(discards.map((discard) => discard.reason._)).toEqual(['phoneCallDiscardReasonBusy']);
    expect(party(world, 1).manager.calls).toHaveLength(1);
  });

  // Spec §8.5 (call_ring_timeout_ms): the callee auto-declines with busy, the caller whose
  // peer rings too long hangs up with missed. Each side's timer is tested on its own.
  it('declines an unanswered incoming call as busy on the callee ring timeout', async () => {
    const world = openWorld({
      managers: [{ timeouts: { ...fastTimeouts, ringMs: 60_000 } }, { timeouts: { ringMs: 150 } }],
    });
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    const [callerEnd, calleeEnd] = await Promise.all([ended(outgoing), ended(incoming)]);
    expect(calleeEnd).toMatchObject({ reason: 'busy', endedBy: 'local' });
    expect(callerEnd).toMatchObject({ reason: 'busy', endedBy: 'remote' });
    expect(
      party(world, 1)
        .transport.sent('phone.discardCall')
        .map((d) => d.reason),
    ).toEqual([{ _: 'phoneCallDiscardReasonBusy' }]);
    expect(party(world, 0).transport.sent('phone.discardCall')).toEqual([]);
  });

  it('ends an unanswered call as missed on the caller ring timeout', async () => {
    const world = openWorld({
      managers: [{ timeouts: { ...fastTimeouts, ringMs: 150 } }, { timeouts: { ringMs: 60_000 } }],
    });
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    await waitForState(outgoing, 'ringing');
    const [callerEnd, calleeEnd] = await Promise.all([ended(outgoing), ended(incoming)]);
    expect(callerEnd).toMatchObject({ reason: 'missed', endedBy: 'local' });
    expect(calleeEnd).toMatchObject({ reason: 'missed', endedBy: 'remote' });
    expect(
      party(world, 0)
        .transport.sent('phone.discardCall')
        .map((d) => d.reason),
    ).toEqual([{ _: 'phoneCallDiscardReasonMissed' }]);
    expect(party(world, 1).transport.sent('phone.discardCall')).toEqual([]);
  });

  it('ends as missed when the callee never confirms within the receive timeout', async () => {
    const world = openWorld({ manager: { timeouts: { receiveMs: 150 } } });
    party(world, 1).transport.tampering.update = () => undefined; // the callee's device is off
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    await waitForState(outgoing, 'waiting');
    expect(await ended(outgoing)).toMatchObject({ reason: 'missed', endedBy: 'local' });
    expect(party(world, 0).transport.sent('phone.discardCall')[0]?.reason).toEqual({
      _: 'phoneCallDiscardReasonMissed',
    });
  });

  it('gives up with missed when the caller hangs up before an answer', async () => {
    const world = openWorld();
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    await waitForState(outgoing, 'ringing');
    await outgoing.hangUp();
    expect(outgoing.endInfo?.reason).toBe('missed');
    expect(await ended(incoming)).toMatchObject({ reason: 'missed', endedBy: 'remote' });
  });

  it('discards a call hung up while requestCall was in flight, once its id is known', async () => {
    const world = openWorld();
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    await outgoing.hangUp();
    expect(outgoing.endInfo?.reason).toBe('missed');
    const requested = party(world, 0).transport.sent('phone.requestCall');
    const discards = party(world, 0).transport.sent('phone.discardCall');
    expect(discards).toHaveLength(requested.length);
    expect(world.exchange.activeCallIds).toEqual([]);
  });

  it('disconnects with CALL_CONNECT_TIMEOUT when the engine never connects', async () => {
    const world = openWorld({
      engine: { silent: true },
      manager: { timeouts: { connectMs: 150 } },
    });
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const error = nextEvent(outgoing, 'error');
    await (await ringing).accept();
    expect((await error)[0].code).toBe('CALL_CONNECT_TIMEOUT');
    const info = await ended(outgoing);
    expect(info).toMatchObject({ reason: 'disconnect', endedBy: 'local' });
    expect(info.error?.code).toBe('CALL_CONNECT_TIMEOUT');
    expect(party(world, 0).transport.sent('phone.discardCall')[0]?.reason).toEqual({
      _: 'phoneCallDiscardReasonDisconnect',
    });
  });

  it('ends both sides when the server migrates the call to a conference', async () => {
    const world = openWorld();
    const { outgoing, incoming } = await establishedCall(world);
    world.exchange.migrateToConference(outgoing.id ?? 0n, 'conference-slug');
    for (const info of await Promise.all([ended(outgoing), ended(incoming)])) {
      expect(info).toMatchObject({
        reason: 'migrateConferenceCall',
        conferenceSlug: 'conference-slug',
        endedBy: 'remote',
        hadVideo: true,
      });
    }
    expect(world.engines.every((engine) => engine.stopped)).toBe(true);
    expect(world.parties.flatMap((p) => p.transport.sent('phone.discardCall'))).toEqual([]);
  });

  it('migrates the call to a conference: discardCall(migrateConferenceCall{slug}, video), relayed to the peer', async () => {
    const world = openWorld();
    const { outgoing, incoming } = await establishedCall(world); // an audio call
    const remoteEnd = ended(incoming);
    await outgoing.migrateToConference('conf-slug-1');
    const sent = party(world, 0).transport.sent('phone.discardCall');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      reason: { _: 'phoneCallDiscardReasonMigrateConferenceCall', slug: 'conf-slug-1' },
      video: true,
      peer: { id: outgoing.id },
    });
    expect(world.exchange.discards[0]).toMatchObject({
      reason: { _: 'phoneCallDiscardReasonMigrateConferenceCall', slug: 'conf-slug-1' },
      video: true,
    });
    expect(outgoing.endInfo).toMatchObject({
      reason: 'migrateConferenceCall',
      conferenceSlug: 'conf-slug-1',
      endedBy: 'local',
      hadVideo: true,
    });
    expect(await remoteEnd).toMatchObject({
      reason: 'migrateConferenceCall',
      conferenceSlug: 'conf-slug-1',
      endedBy: 'remote',
      hadVideo: true,
    });
    expect(party(world, 1).transport.sent('phone.discardCall')).toEqual([]);
    expect(world.engines.every((engine) => engine.stopped)).toBe(true);
  });

  it('refuses to migrate a call that is not accepted, or without a slug', async () => {
    const world = openWorld();
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    expect(() => incoming.migrateToConference('slug')).toThrow(
      expect.objectContaining({ code: 'CALL_INVALID_STATE' }) as Error,
    );
    expect(() => outgoing.migrateToConference('slug')).toThrow(
      expect.objectContaining({ code: 'CALL_INVALID_STATE' }) as Error,
    );
    expect(() => outgoing.migrateToConference('')).toThrow(TypeError);
    expect(world.parties.flatMap((p) => p.transport.sent('phone.discardCall'))).toEqual([]);
  });

  it('discards as hangup when the client library cannot express the migration', async () => {
    const warnings: string[] = [];
    const world = openWorld({ manager: { logger: { warn: (line) => warnings.push(line) } } });
    const caller = party(world, 0);
    const { outgoing, incoming } = await establishedCall(world);
    // What fromGramJs does: GramJS's layer 198 has no migrateConferenceCall (TL_UNSUPPORTED).
    caller.transport.tampering.invoked = (request) => {
      if (
        request._ === 'phone.discardCall' &&
        request.reason._ === 'phoneCallDiscardReasonMigrateConferenceCall'
      ) {
        throw new TgCallsError('TL_UNSUPPORTED', 'layer 198 cannot express it');
      }
    };
    await outgoing.migrateToConference('conf-slug-2');
    expect(caller.transport.sent('phone.discardCall').map((d) => [d.reason._, d.video])).toEqual([
      ['phoneCallDiscardReasonMigrateConferenceCall', true],
      ['phoneCallDiscardReasonHangup', true],
    ]);
    expect(warnings.some((line) => line.includes('discarded as hangup'))).toBe(true);
    expect(await ended(incoming)).toMatchObject({ reason: 'hangup', endedBy: 'remote' });
  });

  it('sets discardCall’s video flag when a video stream started in the middle of an audio call', async () => {
    const world = openWorld();
    const { outgoing, incoming } = await establishedCall(world);
    expect(outgoing.hadVideo).toBe(false);
    const callerEngine = world.engines.find((engine) => engine.options.isOutgoing);
    expect(callerEngine?.options.video).toBe(false);
    callerEngine?.startVideo();
    expect(outgoing.hadVideo).toBe(true);
    await outgoing.hangUp();
    expect(party(world, 0).transport.sent('phone.discardCall')[0]?.video).toBe(true);
    // The server's phoneCallDiscarded carries the flag to the peer, whose engine never sent video.
    expect(await ended(incoming)).toMatchObject({ hadVideo: true });
    // …and video problems may now be reported for the call.
    await outgoing.rate(2, { problems: ['pixelated_video'] });
    expect(world.exchange.ratings[0]?.comment).toBe('#pixelated_video');
  });

  it('reports the established duration and the engine final state', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world);
    const info = await outgoing.hangUp().then(() => outgoing.endInfo);
    expect(info?.duration).toBe(0);
    expect(info?.engineFinalState?.debugJson).toContain('loopback');
    expect(party(world, 0).manager.calls).toEqual([]);
    expect(alice).toBe(party(world, 0).userId);
  });
});

describe('rating and debug logs', () => {
  it('answers need_rating with a rating whose comment carries the problem hashtags', async () => {
    const world = openWorld({ exchange: { needRating: true } });
    const { outgoing, incoming } = await establishedCall(world);
    const asked = nextEvent(incoming, 'ratingRequested');
    await outgoing.hangUp();
    expect(outgoing.endInfo?.needRating).toBe(true);
    await asked;
    await incoming.rate(3, { comment: 'bad line', problems: ['echo', 'dropped'] });
    expect(world.exchange.ratings).toEqual([
      {
        callId: incoming.id,
        userId: bob,
        rating: 3,
        comment: 'bad line #echo #dropped',
        userInitiative: false,
      },
    ]);
  });

  it('sets user_initiative when the user rates unasked and drops the comment at 5', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world);
    await outgoing.hangUp();
    expect(outgoing.endInfo?.needRating).toBe(false);
    await outgoing.rate(5, { comment: 'great', problems: ['noise'] });
    await outgoing.rate(5, { comment: 'great' });
    expect(
      world.exchange.ratings.map(({ comment, userInitiative }) => ({ comment, userInitiative })),
    ).toEqual([
      { comment: '#noise', userInitiative: true },
      { comment: '', userInitiative: true },
    ]);
  });

  it('refuses ratings that are not integers from 1 to 5, and video problems for audio calls', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world);
    await outgoing.hangUp();
    for (const rating of [0, 6, 2.5, Number.NaN]) {
      expect(() => outgoing.rate(rating)).toThrow(RangeError);
    }
    expect(() => outgoing.rate(2, { problems: ['pixelated_video'] })).toThrow(RangeError);
    expect(world.exchange.ratings).toEqual([]);
  });

  it('allows video problems for video calls', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world, { video: true });
    await outgoing.hangUp();
    await outgoing.rate(1, {
      comment: ' frozen ',
      problems: ['distorted_video', 'pixelated_video'],
    });
    expect(world.exchange.ratings[0]?.comment).toBe('frozen #distorted_video #pixelated_video');
  });

  it('refuses to rate a call that has not ended', async () => {
    const world = openWorld();
    const { outgoing } = await establishedCall(world);
    expect(() => outgoing.rate(4)).toThrow(
      expect.objectContaining({ code: 'CALL_INVALID_STATE' }) as Error,
    );
  });

  it('uploads the engine debug JSON with saveCallDebug on need_debug, on both sides', async () => {
    const world = openWorld({ exchange: { needDebug: true } });
    const { outgoing, incoming } = await establishedCall(world);
    const saved = Promise.all([
      nextEvent(outgoing, 'debugSaved'),
      nextEvent(incoming, 'debugSaved'),
    ]);
    await outgoing.hangUp();
    await saved;
    expect(world.exchange.debugLogs.map((log) => log.userId).sort()).toEqual([alice, bob]);
    for (const log of world.exchange.debugLogs) {
      expect(JSON.parse(log.data)).toEqual({ engine: 'loopback', received: 1 });
    }
  });

  it('neither asks for a rating nor a debug log for a call that never connected', async () => {
    const world = openWorld({ exchange: { needRating: true, needDebug: true } });
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    await (await ringing).reject();
    expect(await ended(outgoing)).toMatchObject({
      reason: 'busy',
      needRating: false,
      needDebug: false,
    });
    expect(world.exchange.debugLogs).toEqual([]);
  });
});
