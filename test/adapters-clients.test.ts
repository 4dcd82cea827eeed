/**
 * fromGramJs(client) and fromMtcute(client) against stand-ins for the two clients: objects
 * with the real clients' method shapes, exchanging the libraries' own TL objects (built with
 * GramJS's Api classes and mtcute's TL maps, and read back from their binary form as the
 * network would deliver them). A CallManager on each adapter takes an incoming call, confirms
 * it and declines it, so every path through the adapter runs: update subscription, getMe,
 * invoke with results, and unsubscription.
 */
import * as path from 'node:path';

import { TlBinaryReader, TlBinaryWriter } from '@mtcute/tl-runtime';
import { PeersIndex, RawUpdateInfo, User } from '@mtcute/core';
import { __tlReaderMap, __tlWriterMap } from '@mtcute/core/utils.js';
import type Long from 'long';
import { Api, extensions, helpers } from 'telegram';
import { Raw } from 'telegram/events';

import { fromGramJs, fromMtcute } from '../lib/adapters';
import type { LongClass } from '../lib/adapters/mtcute-convert';
import { CallManager, type PhoneCall } from '../lib/calls';

const callId = 0x1234567890abcdefn;
const accessHash = -0x7edcba9876543210n;
const caller = 1001n;
const callee = 1002n;
const gAHash = Buffer.alloc(32, 0x5a);

function incomingCall(manager: CallManager): Promise<PhoneCall> {
  return new Promise((resolve) => {
    manager.once('incomingCall', resolve);
  });
}

/** Settles pending promise callbacks and immediates. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// ---- GramJS ------------------------------------------------------------------------------

type GramHandler = (update: unknown) => unknown;

/**
 * What fromGramJs uses of GramJS's TelegramClient: invoke(request object), getMe(), and
 * addEventHandler / removeEventHandler with an event builder. emit() dispatches like GramJS's
 * updates loop: resolve the builder once, build the event, filter it, call the handler.
 */
class FakeGramJsClient {
  readonly invoked: unknown[] = [];
  readonly builders: [Raw, GramHandler][] = [];
  answer: (request: unknown) => unknown = () => true;

  invoke(request: unknown): Promise<unknown> {
    this.invoked.push(request);
    return Promise.resolve(this.answer(request));
  }

  getMe(): Promise<Api.User> {
    return Promise.resolve(
      new Api.User({ id: helpers.returnBigInt(callee), accessHash: helpers.returnBigInt(7n) }),
    );
  }

  addEventHandler(callback: GramHandler, event: Raw): void {
    this.builders.push([event, callback]);
  }

  removeEventHandler(callback: GramHandler, event: Raw): void {
    const index = this.builders.findIndex(([e, c]) => e === event && c === callback);
    if (index >= 0) this.builders.splice(index, 1);
  }

  async emit(update: Api.TypeUpdate): Promise<void> {
    for (const [builder, callback] of this.builders) {
      if (!builder.resolved) await builder.resolve(this as never);
      const event = builder.build(update) as unknown;
      if (event !== undefined && builder.filter(event as never)) callback(event);
    }
  }
}

/** A GramJS object as GramJS reads it off the wire. */
function gramWire(object: { getBytes(): Buffer }): unknown {
  return new extensions.BinaryReader(object.getBytes()).tgReadObject();
}

const big = (value: bigint) => helpers.returnBigInt(value);

describe('fromGramJs(client)', () => {
  it('turns a raw UpdatePhoneCall into an incoming call and invokes phone.* with Api objects', async () => {
    const client = new FakeGramJsClient();
    const manager = new CallManager({ transport: fromGramJs(client as never) });
    expect(client.builders).toHaveLength(1);
    expect(client.builders[0]?.[0]).toBeInstanceOf(Raw);
    const ringing = incomingCall(manager);

    const requested = new Api.PhoneCallRequested({
      id: big(callId),
      accessHash: big(accessHash),
      date: 1_700_000_000,
      adminId: big(caller),
      participantId: big(callee),
      gAHash,
      protocol: new Api.PhoneCallProtocol({
        udpP2p: true,
        udpReflector: true,
        minLayer: 65,
        maxLayer: 92,
        libraryVersions: ['11.0.0'],
      }),
    });
    await client.emit(
      gramWire(new Api.UpdatePhoneCall({ phoneCall: requested })) as Api.UpdatePhoneCall,
    );
    const call = await ringing;

    // The update reached the manager with every field converted.
    expect(call.id).toBe(callId);
    expect(call.peerUserId).toBe(caller);
    expect(call.direction).toBe('incoming');
    // phone.receivedCall went through client.invoke as GramJS's own request class.
    const received = client.invoked[0];
    expect(received).toBeInstanceOf(Api.phone.ReceivedCall);
    const receivedPeer = (received as Api.phone.ReceivedCall).peer;
    expect(receivedPeer).toBeInstanceOf(Api.InputPhoneCall);
    expect(String(receivedPeer.id)).toBe(callId.toString());
    expect(String(receivedPeer.accessHash)).toBe(accessHash.toString());

    // Declining: phone.discardCall as Api.phone.DiscardCall; its Updates result ends the call.
    client.answer = (request) =>
      request instanceof Api.phone.DiscardCall
        ? gramWire(
            new Api.Updates({
              updates: [
                new Api.UpdatePhoneCall({
                  phoneCall: new Api.PhoneCallDiscarded({
                    id: big(callId),
                    reason: new Api.PhoneCallDiscardReasonBusy(),
                    duration: 0,
                  }),
                }),
              ],
              users: [],
              chats: [],
              date: 1_700_000_001,
              seq: 0,
            }),
          )
        : true;
    await call.reject();
    const discard = client.invoked[1] as Api.phone.DiscardCall;
    expect(discard).toBeInstanceOf(Api.phone.DiscardCall);
    expect(discard.reason).toBeInstanceOf(Api.PhoneCallDiscardReasonBusy);
    expect(String(discard.peer.id)).toBe(callId.toString());
    expect(discard.duration).toBe(0);
    expect(String(discard.connectionId)).toBe('0');
    // GramJS can serialize what the adapter built.
    expect(gramWire(discard)).toBeInstanceOf(Api.phone.DiscardCall);
    expect(call.endInfo).toMatchObject({ reason: 'busy', endedBy: 'local' });

    // Updates of other kinds are ignored; close() unsubscribes.
    await client.emit(
      new Api.UpdateUserTyping({ userId: big(caller), action: new Api.SendMessageTypingAction() }),
    );
    await manager.close();
    expect(client.builders).toEqual([]);
    expect(client.invoked).toHaveLength(2);
  });
});

// ---- mtcute ------------------------------------------------------------------------------

/** mtcute's Long class, the `long` package @mtcute/core depends on. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongCtor = require('long') as LongClass & { fromString(value: string): Long };

interface EmitterLike<T> {
  add(listener: (value: T) => void): void;
  remove(listener: (value: T) => void): void;
  emit(value: T): void;
  readonly length: number;
}

/** mtcute's own event emitter (@fuman/utils, a dependency of @mtcute/core). */
function mtcuteEmitter<T>(): EmitterLike<T> {
  const from = path.dirname(require.resolve('@mtcute/core'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Emitter } = require(require.resolve('@fuman/utils', { paths: [from] })) as {
    Emitter: new () => EmitterLike<T>;
  };
  return new Emitter();
}

/** An mtcute TL object as mtcute reads it off the wire. */
function mtcuteWire(object: { _: string }): unknown {
  const bytes = TlBinaryWriter.serializeObject(__tlWriterMap, object);
  return TlBinaryReader.deserializeObject(__tlReaderMap, bytes);
}

/** What fromMtcute uses of mtcute's TelegramClient: call({ _ }), getMe(), onRawUpdate. */
class FakeMtcuteClient {
  readonly called: { _: string; [field: string]: unknown }[] = [];
  readonly onRawUpdate = mtcuteEmitter<RawUpdateInfo>();
  answer: (request: { _: string }) => unknown = () => true;

  call(request: { _: string }): Promise<unknown> {
    this.called.push(request);
    return Promise.resolve(this.answer(request));
  }

  getMe(): Promise<User> {
    return Promise.resolve(
      new User({ _: 'user', id: Number(callee), accessHash: LongCtor.fromString('7') } as never),
    );
  }
}

describe('fromMtcute(client)', () => {
  it('turns a raw updatePhoneCall into an incoming call and calls phone.* with TL objects', async () => {
    const client = new FakeMtcuteClient();
    const manager = new CallManager({ transport: fromMtcute(client as never) });
    expect(client.onRawUpdate.length).toBe(1);
    const ringing = incomingCall(manager);

    const update = mtcuteWire({
      _: 'updatePhoneCall',
      phoneCall: {
        _: 'phoneCallRequested',
        video: false,
        id: LongCtor.fromString(callId.toString()),
        accessHash: LongCtor.fromString(accessHash.toString()),
        date: 1_700_000_000,
        adminId: Number(caller),
        participantId: Number(callee),
        gAHash,
        protocol: {
          _: 'phoneCallProtocol',
          udpP2p: true,
          udpReflector: true,
          minLayer: 65,
          maxLayer: 92,
          libraryVersions: ['11.0.0'],
        },
      },
    } as { _: string });
    client.onRawUpdate.emit(new RawUpdateInfo(update as never, PeersIndex.from({})));
    const call = await ringing;

    expect(call.id).toBe(callId);
    expect(call.peerUserId).toBe(caller);
    const received = client.called[0];
    expect(received?._).toBe('phone.receivedCall');
    expect(received?.peer).toEqual({
      _: 'inputPhoneCall',
      id: LongCtor.fromString(callId.toString()),
      accessHash: LongCtor.fromString(accessHash.toString()),
    });
    // mtcute's writer accepts what the adapter built.
    expect(() => TlBinaryWriter.serializeObject(__tlWriterMap, received as never)).not.toThrow();

    client.answer = (request) =>
      request._ === 'phone.discardCall'
        ? mtcuteWire({
            _: 'updates',
            updates: [
              {
                _: 'updatePhoneCall',
                phoneCall: {
                  _: 'phoneCallDiscarded',
                  id: LongCtor.fromString(callId.toString()),
                  reason: { _: 'phoneCallDiscardReasonBusy' },
                  duration: 0,
                },
              },
            ],
            users: [],
            chats: [],
            date: 1_700_000_001,
            seq: 0,
          } as { _: string })
        : true;
    await call.reject();
    const discard = client.called[1];
    expect(discard).toMatchObject({
      _: 'phone.discardCall',
      duration: 0,
      reason: { _: 'phoneCallDiscardReasonBusy' },
      peer: { _: 'inputPhoneCall', id: LongCtor.fromString(callId.toString()) },
    });
    expect(String(discard?.connectionId)).toBe('0');
    expect(call.endInfo).toMatchObject({ reason: 'busy', endedBy: 'local' });

    // Other updates are ignored; close() removes the listener.
    client.onRawUpdate.emit(new RawUpdateInfo({ _: 'updateConfig' } as never, PeersIndex.from({})));
    await turn();
    await manager.close();
    expect(client.onRawUpdate.length).toBe(0);
    expect(client.called).toHaveLength(2);
  });
});
