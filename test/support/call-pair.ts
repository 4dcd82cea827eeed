/** Two (or three) CallManagers on one LocalExchange, with the loopback engine double. */
import { CallManager, type CallManagerOptions, type PhoneCall } from '../../lib/calls';
import type { CallEndInfo, PhoneCallEvents } from '../../lib/calls';
import { LocalExchange, type LocalExchangeOptions } from '../../lib/exchange';
import type { InputUser } from '../../lib/tl';
import {
  loopbackEngineFactory,
  type LoopbackEngine,
  type LoopbackEngineBehaviour,
} from './loopback-engine';
import { RecordingTransport } from './recording-transport';

export const alice = 1001n;
export const bob = 1002n;
export const carol = 1003n;

export function inputUser(userId: bigint): InputUser {
  return { _: 'inputUser', user_id: userId, access_hash: 0n };
}

/** Short timeouts so that timeout tests finish quickly; tests override what they need. */
export const fastTimeouts = { receiveMs: 2000, ringMs: 2000, connectMs: 2000, packetMs: 2000 };

export interface Party {
  userId: bigint;
  manager: CallManager;
  transport: RecordingTransport;
}

export interface CallWorld {
  exchange: LocalExchange;
  engines: LoopbackEngine[];
  parties: Party[];
  close(): Promise<void>;
}

export interface WorldOptions {
  exchange?: LocalExchangeOptions;
  manager?: Partial<CallManagerOptions>;
  /** Per party (by index), over `manager`. */
  managers?: Partial<CallManagerOptions>[];
  engine?: LoopbackEngineBehaviour;
  /** One party each; a user named twice has two devices (two clients of the exchange). */
  users?: bigint[];
}

export function createWorld(options: WorldOptions = {}): CallWorld {
  const exchange = new LocalExchange(options.exchange);
  const { factory, engines } = loopbackEngineFactory(options.engine);
  const parties = (options.users ?? [alice, bob]).map((userId, index) => {
    const transport = new RecordingTransport(exchange.connect(userId));
    const manager = new CallManager({
      transport,
      engineFactory: factory,
      timeouts: fastTimeouts,
      ...options.manager,
      ...options.managers?.[index],
    });
    return { userId, manager, transport };
  });
  return {
    exchange,
    engines,
    parties,
    close: async () => {
      await Promise.all(parties.map((party) => party.manager.close()));
      await exchange.close();
    },
  };
}

/**
 * Registers an afterEach that closes every world opened through the returned function during
 * the test, so that a test that fails halfway still releases its managers and exchange.
 * Call it at the top level of a test file; the returned function takes createWorld's options.
 */
export function closeWorldsAfterEach(): (options?: WorldOptions) => CallWorld {
  const open: CallWorld[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((world) => world.close()));
  });
  return (options) => {
    const world = createWorld(options);
    open.push(world);
    return world;
  };
}

export function party(world: CallWorld, index: number): Party {
  const found = world.parties[index];
  if (found === undefined) throw new Error(`no party ${index}`);
  return found;
}

/** Resolves with the arguments of the next `event`. */
export function nextEvent<E extends keyof PhoneCallEvents>(
  call: PhoneCall,
  event: E,
): Promise<Parameters<PhoneCallEvents[E]>> {
  return new Promise((resolve) => {
    call.once(event, ((...args: Parameters<PhoneCallEvents[E]>) => {
      resolve(args);
    }) as PhoneCallEvents[E]);
  });
}

export function ended(call: PhoneCall): Promise<CallEndInfo> {
  const info = call.endInfo;
  if (info !== undefined) return Promise.resolve(info);
  return nextEvent(call, 'ended').then(([endInfo]) => endInfo);
}

export function incomingCall(manager: CallManager): Promise<PhoneCall> {
  return new Promise((resolve) => {
    manager.once('incomingCall', resolve);
  });
}

export function waitForState(call: PhoneCall, state: PhoneCall['state']): Promise<void> {
  if (call.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (next: PhoneCall['state']): void => {
      if (next === state) {
        call.off('state', listener);
        resolve();
      }
    };
    call.on('state', listener);
  });
}

/** Caller (party 0) calls callee (party 1), the callee accepts, both get established. */
export async function establishedCall(
  world: CallWorld,
  options: { video?: boolean } = {},
): Promise<{ outgoing: PhoneCall; incoming: PhoneCall }> {
  const caller = party(world, 0);
  const callee = party(world, 1);
  const ringing = incomingCall(callee.manager);
  const outgoing = caller.manager.call(inputUser(callee.userId), options);
  const incoming = await ringing;
  const outgoingEstablished = waitForState(outgoing, 'established');
  const incomingEstablished = waitForState(incoming, 'established');
  await incoming.accept();
  await Promise.all([outgoingEstablished, incomingEstablished]);
  return { outgoing, incoming };
}
