import { CallManager } from '../lib/calls';
import {
  LocalExchange,
  decodeTlJson,
  encodeTlJson,
  type RemoteExchangeTransport,
} from '../lib/exchange';
import {
  alice,
  bob,
  ended,
  fastTimeouts,
  incomingCall,
  inputUser,
  waitForState,
} from './support/call-pair';
import { loopbackEngineFactory } from './support/loopback-engine';

describe('the LocalExchange over its loopback WebSocket', () => {
  it('round-trips bigint and bytes through the TL JSON codec', () => {
    const value = {
      _: 'x',
      id: -(1n << 63n),
      data: Buffer.from([0, 1, 255]),
      list: [1n, 'a'],
      none: undefined,
    };
    const decoded = decodeTlJson(encodeTlJson(value)) as typeof value;
    expect(decoded).toEqual({
      _: 'x',
      id: -(1n << 63n),
      data: Buffer.from([0, 1, 255]),
      list: [1n, 'a'],
    });
    expect(() => decodeTlJson('{')).toThrow(SyntaxError);
  });

  it('connects two CallManagers through ws:// on 127.0.0.1 for a whole call', async () => {
    const exchange = new LocalExchange({ needRating: true, needDebug: true });
    const url = await exchange.listen();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const transports: RemoteExchangeTransport[] = await Promise.all([
      LocalExchange.connectRemote(url, alice),
      LocalExchange.connectRemote(url, bob),
    ]);
    const { factory, engines } = loopbackEngineFactory();
    const [caller, callee] = transports.map(
      (transport) => new CallManager({ transport, engineFactory: factory, timeouts: fastTimeouts }),
    ) as [CallManager, CallManager];

    const ringing = incomingCall(callee);
    const outgoing = caller.call(inputUser(bob));
    const incoming = await ringing;
    const established = Promise.all([
      waitForState(outgoing, 'established'),
      waitForState(incoming, 'established'),
    ]);
    await incoming.accept();
    await established;
    expect(outgoing.emoji).toEqual(incoming.emoji);
    expect(engines.map((engine) => engine.keyFingerprint)).toEqual([
      outgoing.keyFingerprint,
      outgoing.keyFingerprint,
    ]);

    const calleeEnd = ended(incoming);
    await outgoing.hangUp();
    expect(await calleeEnd).toMatchObject({ reason: 'hangup', needRating: true, needDebug: true });
    await outgoing.rate(4, { problems: ['noise'] });
    expect(exchange.ratings).toMatchObject([
      { rating: 4, comment: '#noise', userInitiative: false },
    ]);

    await Promise.all([caller.close(), callee.close()]);
    await Promise.all(transports.map((transport) => transport.close()));
    await exchange.close();
    await expect(
      transports[0]?.invoke({ _: 'messages.getDhConfig', version: 0, random_length: 256 }),
    ).rejects.toMatchObject({
      code: 'EXCHANGE_DISCONNECTED',
    });
  });

  it('turns refused requests into RpcErrors on the client side', async () => {
    const exchange = new LocalExchange();
    const url = await exchange.listen();
    const transport = await LocalExchange.connectRemote(url, alice);
    await expect(
      transport.invoke({
        _: 'phone.receivedCall',
        peer: { _: 'inputPhoneCall', id: 1n, access_hash: 2n },
      }),
    ).rejects.toMatchObject({
      name: 'RpcError',
      errorCode: 400,
      errorMessage: 'CALL_PEER_INVALID',
    });
    await transport.close();
    await exchange.close();
  });
});
