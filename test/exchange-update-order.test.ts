/**
 * What the LocalExchange sends, and in which order: the updates and results of a whole call
 * as each side receives them (spec §8.2), and the DH config Telegram's servers hand out.
 */
import type { PhoneRequest } from '../lib/tl';
import {
  alice,
  bob,
  closeWorldsAfterEach,
  ended,
  incomingCall,
  inputUser,
  party,
  waitForState,
  type CallWorld,
} from './support/call-pair';

const openWorld = closeWorldsAfterEach();

interface PhoneCallRecord {
  _: string;
  receive_date?: number;
  need_rating?: boolean;
  need_debug?: boolean;
  video?: boolean;
  reason?: { _: string };
  duration?: number;
  [field: string]: unknown;
}

interface Received {
  side: 'caller' | 'callee';
  /** "update" or the method whose result it is. */
  via: string;
  /** The constructor: the PhoneCall's, or the update's / result's own. */
  name: string;
  object: PhoneCallRecord;
}

/**
 * Records what each side receives (PhoneCalls in results, updates) and, in one timeline of
 * both sides, its requests ("callee → phone.receivedCall") and receptions ("caller ← …").
 */
function record(world: CallWorld): { received: Received[]; timeline: string[] } {
  const received: Received[] = [];
  const timeline: string[] = [];
  const receive = (item: Received): void => {
    received.push(item);
    timeline.push(`${item.side} ← ${line(item)}`);
  };
  (['caller', 'callee'] as const).forEach((side, index) => {
    const { transport } = party(world, index);
    transport.tampering = {
      invoked: (request: PhoneRequest) => {
        if (request._ !== 'phone.sendSignalingData') timeline.push(`${side} → ${request._}`);
      },
      result: (request, result) => {
        const value = result as { _?: string; phone_call?: PhoneCallRecord; updates?: unknown[] };
        if (value.phone_call !== undefined) {
          receive({
            side,
            via: request._,
            name: value.phone_call._,
            object: value.phone_call,
          });
        } else if (value._ === 'messages.dhConfig' || value._ === 'messages.dhConfigNotModified') {
          receive({ side, via: request._, name: value._, object: value as PhoneCallRecord });
        } else if (value._ === 'updates') {
          for (const update of value.updates as { phone_call: PhoneCallRecord }[]) {
            receive({
              side,
              via: request._,
              name: update.phone_call._,
              object: update.phone_call,
            });
          }
        }
        return result;
      },
      update: (update) => {
        const value = update as { _: string; phone_call?: PhoneCallRecord };
        const object = value.phone_call ?? value;
        receive({ side, via: 'update', name: object._, object });
        return update;
      },
    };
  });
  return { received, timeline };
}

/** A compact line per received object: how it came, its constructor, its telling flags. */
function line(item: Received): string {
  const flags = (['receive_date', 'need_rating', 'need_debug'] as const).filter(
    (flag) => item.object[flag] !== undefined,
  );
  return [item.via, item.name, ...flags].join(' ');
}

describe('the LocalExchange’s updates, in Telegram’s order', () => {
  it('sends each side exactly the sequence Telegram sends', async () => {
    const world = openWorld({ exchange: { needRating: true, needDebug: true } });
    const { received, timeline } = record(world);
    const ringing = incomingCall(party(world, 1).manager);
    const outgoing = party(world, 0).manager.call(inputUser(bob));
    const incoming = await ringing;
    await waitForState(outgoing, 'ringing');
    await Promise.all([
      incoming.accept(),
      waitForState(outgoing, 'established'),
      waitForState(incoming, 'established'),
    ]);
    const calleeEnd = ended(incoming);
    await outgoing.hangUp();
    await calleeEnd;

    const of = (side: Received['side']) => received.filter((item) => item.side === side);
    expect(of('caller').map(line)).toEqual([
      'messages.getDhConfig messages.dhConfig',
      'phone.requestCall phoneCallWaiting',
      'update phoneCallWaiting receive_date',
      'update phoneCallAccepted',
      'phone.confirmCall phoneCall',
      'update updatePhoneCallSignalingData',
      'phone.discardCall phoneCallDiscarded need_rating need_debug',
    ]);
    expect(of('callee').map(line)).toEqual([
      'update phoneCallRequested',
      'messages.getDhConfig messages.dhConfig',
      // The call's state as the server has it: received (rung) already.
      'phone.acceptCall phoneCallWaiting receive_date',
      'update phoneCall',
      'update updatePhoneCallSignalingData',
      'update phoneCallDiscarded need_rating need_debug',
    ]);

    // Across both sides: the ringing phoneCallWaiting follows the callee's phone.receivedCall,
    // phoneCallAccepted its phone.acceptCall, the callee's phoneCall the caller's confirmCall.
    const before = (first: string, second: string): void => {
      expect(timeline.indexOf(first)).toBeGreaterThan(-1);
      expect(timeline.indexOf(second)).toBeGreaterThan(timeline.indexOf(first));
    };
    before('caller → phone.requestCall', 'callee ← update phoneCallRequested');
    before('callee → phone.receivedCall', 'caller ← update phoneCallWaiting receive_date');
    before('callee → phone.acceptCall', 'caller ← update phoneCallAccepted');
    before('caller → phone.confirmCall', 'callee ← update phoneCall');
    before(
      'caller → phone.discardCall',
      'callee ← update phoneCallDiscarded need_rating need_debug',
    );

    // The fields that make each step what it is.
    const [dh, waiting, ringingUpdate, accepted, final, , callerDiscard] = of('caller').map(
      (item) => item.object,
    );
    const [requested, , calleeWaiting, calleeFinal, , calleeDiscard] = of('callee').map(
      (item) => item.object,
    );
    expect(dh).toMatchObject({ g: 3, version: 1 });
    expect(waiting?.receive_date).toBeUndefined();
    expect(ringingUpdate?.receive_date).toEqual(expect.any(Number));
    expect(requested).toMatchObject({ id: outgoing.id, admin_id: alice, participant_id: bob });
    expect(calleeWaiting).toMatchObject({ id: outgoing.id, admin_id: alice, participant_id: bob });
    const [acceptCall] = party(world, 1).transport.sent('phone.acceptCall');
    const [confirmCall] = party(world, 0).transport.sent('phone.confirmCall');
    expect(Buffer.from(accepted?.g_b as Uint8Array)).toEqual(Buffer.from(acceptCall?.g_b ?? []));
    // The same phoneCall to both, carrying the caller's g_a and key fingerprint.
    expect(calleeFinal).toEqual(final);
    expect(Buffer.from(final?.g_a_or_b as Uint8Array)).toEqual(Buffer.from(confirmCall?.g_a ?? []));
    expect(final?.key_fingerprint).toBe(confirmCall?.key_fingerprint);
    for (const discarded of [callerDiscard, calleeDiscard]) {
      expect(discarded).toEqual({
        _: 'phoneCallDiscarded',
        id: outgoing.id,
        need_rating: true,
        need_debug: true,
        reason: { _: 'phoneCallDiscardReasonHangup' },
        duration: 0,
      });
    }
  });
});

// Telegram's 2048-bit prime, as its API documentation prints it (core.telegram.org,
// "End-to-end encrypted calls" / "Creating an authorization key").
const telegramPrimeHex =
  'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f' +
  '48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37' +
  '20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64' +
  '2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4' +
  'a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754' +
  'fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4' +
  'e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f' +
  '0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b';

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Miller–Rabin with fixed bases: enough to tell a prime from a typo. */
function probablyPrime(n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

describe('messages.getDhConfig on the LocalExchange', () => {
  it('returns Telegram’s 2048-bit safe prime with g = 3, then dhConfigNotModified', async () => {
    const world = openWorld();
    const transport = party(world, 0).transport;
    const first = await transport.invoke({
      _: 'messages.getDhConfig',
      version: 0,
      random_length: 256,
    });
    if (first._ !== 'messages.dhConfig') throw new Error(`got ${first._}`);
    expect(first.g).toBe(3);
    expect(first.p).toHaveLength(256);
    expect(Buffer.from(first.p).toString('hex')).toBe(telegramPrimeHex);
    const p = BigInt(`0x${telegramPrimeHex}`);
    expect(p >> 2047n).toBe(1n); // exactly 2048 bits
    expect(probablyPrime(p)).toBe(true);
    expect(probablyPrime((p - 1n) / 2n)).toBe(true); // a safe prime
    expect(p % 3n).toBe(2n); // g = 3 generates the subgroup of order (p-1)/2 (API docs)
    expect(first.random).toHaveLength(256);

    const second = await transport.invoke({
      _: 'messages.getDhConfig',
      version: first.version,
      random_length: 256,
    });
    expect(second._).toBe('messages.dhConfigNotModified');
    expect(Buffer.from(second.random).equals(Buffer.from(first.random))).toBe(false);
  });
});
