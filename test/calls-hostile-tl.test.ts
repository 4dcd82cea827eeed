import type { PhoneCall } from '../lib/calls';
import { TgCallsError } from '../lib/errors';
import { mulberry32, type Random } from '../lib/netem';
import {
  bob,
  createWorld,
  ended,
  incomingCall,
  inputUser,
  party,
  waitForState,
  type CallWorld,
} from './support/call-pair';

// Malformed TL objects from the server, at random: a field of a phoneCall* constructor made
// missing or of the wrong type or size. Whatever it is, the call must end with a typed error
// (or carry on, when the field does not matter) and never throw, reject unhandled or hang.

const garbage: readonly [string, () => unknown][] = [
  ['missing', () => undefined],
  ['null', () => null],
  ['a string', () => 'not what you expected'],
  ['a fraction', () => 1.5],
  ['NaN', () => NaN],
  ['a huge bigint', () => 2n ** 80n],
  ['a negative bigint', () => -1n],
  ['a boolean', () => true],
  ['an array', () => [1, 2, 3]],
  ['an object', () => ({ _: 'phoneCallProtocol' })],
  ['empty bytes', () => Buffer.alloc(0)],
  ['1 MiB of bytes', () => Buffer.alloc(1 << 20, 0x5a)],
  ['a nested object', () => JSON.parse('['.repeat(500) + ']'.repeat(500)) as unknown],
];

const targets = ['phoneCallRequested', 'phoneCallAccepted', 'phoneCall', 'phoneCallWaiting'];

interface Mutation {
  constructor: string;
  field: string;
  kind: string;
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('empty');
  return item;
}

/** Rewrites, on both sides, the first `constructor` that comes (update or method result). */
function installMutation(world: CallWorld, random: Random): Mutation {
  const mutation: Mutation = { constructor: pick(random, targets), field: '', kind: '' };
  const [kind, make] = pick(random, garbage);
  mutation.kind = kind;
  const fieldDraw = random();
  let done = false;
  const mutate = (phoneCall: unknown): unknown => {
    const call = phoneCall as Record<string, unknown> | undefined;
    if (done || call?._ !== mutation.constructor) return phoneCall;
    done = true;
    const fields = Object.keys(call).filter((name) => name !== '_');
    mutation.field = fields[Math.floor(fieldDraw * fields.length)] ?? '_';
    const copy = { ...call };
    const value = make();
    if (value === undefined) Reflect.deleteProperty(copy, mutation.field);
    else copy[mutation.field] = value;
    return copy;
  };
  for (const side of [0, 1] as const) {
    const { transport } = party(world, side);
    transport.tampering.update = (update) => {
      const u = update as { phone_call?: unknown };
      return u.phone_call === undefined ? update : { ...u, phone_call: mutate(u.phone_call) };
    };
    transport.tampering.result = (_request, result) => {
      const r = result as { phone_call?: unknown } | null;
      return r?.phone_call === undefined ? result : { ...r, phone_call: mutate(r.phone_call) };
    };
  }
  return mutation;
}

type Outcome = 'established' | `ended: ${string}`;

async function outcomeOf(outgoing: PhoneCall, incoming: PhoneCall): Promise<Outcome> {
  const established = Promise.all([
    waitForState(outgoing, 'established'),
    waitForState(incoming, 'established'),
  ]).then((): Outcome => 'established');
  const endedFirst = Promise.race([ended(outgoing), ended(incoming)]).then((info): Outcome => {
    if (info.error !== undefined) {
      expect(info.error).toBeInstanceOf(TgCallsError);
      return `ended: ${info.error.code}`;
    }
    return `ended: ${info.reason}`;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error('neither established nor ended within 8 s'));
    }, 8000);
  });
  try {
    return await Promise.race([established, endedFirst, deadline]);
  } finally {
    // A pending 8 s timer per call kept the jest worker alive after the file ended.
    clearTimeout(timer);
  }
}

describe('malformed TL objects at the façade', () => {
  it('end the call with a typed error or do no harm, for 40 random mutations', async () => {
    const random = mulberry32(2024);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      // Short timeouts: a dropped object shows up as a timeout, and the run stays quick.
      const world = createWorld({
        manager: { timeouts: { receiveMs: 600, ringMs: 600, connectMs: 600, packetMs: 600 } },
      });
      try {
        const mutation = installMutation(world, random);
        const ringing = incomingCall(party(world, 1).manager);
        const outgoing = party(world, 0).manager.call(inputUser(bob));
        // A mutated phoneCallRequested may never ring: the caller then ends on its own.
        const incoming = await Promise.race([ringing, ended(outgoing).then(() => undefined)]);
        let outcome: Outcome;
        if (incoming === undefined) {
          outcome = `ended: ${outgoing.endInfo?.error?.code ?? outgoing.endInfo?.reason ?? '?'}`;
        } else {
          void incoming.accept().catch(() => undefined); // failures surface as 'ended'
          outcome = await outcomeOf(outgoing, incoming);
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(mutation.field).not.toBe(''); // the mutation did reach the call layer
      } finally {
        await world.close();
      }
    }
    // The point is the absence of throws, rejections and hangs; the mix shows it was exercised.
    expect(outcomes.get('ended: TL_MALFORMED')).toBeGreaterThan(8);
    for (const outcome of outcomes.keys())
      expect(outcome).toMatch(/^(established|ended: [A-Za-z_]+)$/);
  }, 120_000);
});
