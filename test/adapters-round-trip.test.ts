import { TlBinaryReader, TlBinaryWriter } from '@mtcute/tl-runtime';
import { __tlReaderMap, __tlWriterMap } from '@mtcute/core/utils.js';
import { Api, extensions, helpers } from 'telegram';

import { fromGramJs as readGramJs, GramJsWriter } from '../lib/adapters/gramjs-convert';
import {
  fromMtcute as readMtcute,
  mtcuteUpdates,
  toMtcute,
  type LongClass,
} from '../lib/adapters/mtcute-convert';
import {
  readDhConfigResult,
  readPhoneCall,
  readPhonePhoneCall,
  readPhoneRequest,
  readPhoneUpdate,
  readUpdatesResult,
} from '../lib/tl';
import { expectFieldsCarried, withBuffers } from './support/field-mapping';
import { readerMapWithMethods, readMtcuteRequest } from './support/mtcute-method-reader';
import {
  methodIds,
  needsNewerLayer,
  phoneCalls,
  requests,
  results,
  updates,
} from './support/tl-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Long = require('long') as LongClass;

const write = new GramJsWriter({ Api, helpers });

interface GramObject {
  className: string;
  getBytes(): Buffer;
}

/** Serializes with GramJS and reads it back with GramJS's BinaryReader. */
function gramWire(object: GramObject): Record<string, unknown> {
  return new extensions.BinaryReader(object.getBytes()).tgReadObject() as Record<string, unknown>;
}

const gramName = (value: Record<string, unknown>): string =>
  String(value.className).replace(
    /(^|\.)([A-Z])/,
    (_, dot: string, c: string) => dot + c.toLowerCase(),
  );
const mtcuteName = (value: Record<string, unknown>): string => String(value._);

function mtcuteWire(object: unknown): unknown {
  const bytes = TlBinaryWriter.serializeObject(__tlWriterMap, object as { _: string });
  return TlBinaryReader.deserializeObject(__tlReaderMap, bytes);
}

const label = (value: { _: string }): string => value._;

describe('GramJS (telegram) round trips', () => {
  const layer198 = (value: unknown): boolean => !needsNewerLayer(value);

  it.each(phoneCalls.filter(layer198).map((call) => [label(call), call] as const))(
    '%s',
    (_name, call) => {
      const gram = write.phoneCall(call);
      expectFieldsCarried(call, gram, gramName);
      const back = gramWire(gram);
      expectFieldsCarried(call, back, gramName);
      expect(readPhoneCall(readGramJs.phoneCall(back), 'call')).toEqual(call);
    },
  );

  it.each(updates.filter(layer198).map((update) => [label(update), update] as const))(
    '%s',
    (_name, update) => {
      const back = gramWire(write.update(update));
      expectFieldsCarried(update, back, gramName);
      expect(readPhoneUpdate(readGramJs.update(back), 'update')).toEqual(update);
    },
  );

  it('phone.phoneCall, messages.dhConfig, dhConfigNotModified, updates and updateShort', () => {
    for (const result of results.phonePhoneCall.filter(layer198)) {
      const back = gramWire(write.phonePhoneCall(result));
      expectFieldsCarried(result, back, gramName);
      expect(readPhonePhoneCall(readGramJs.phonePhoneCall(back), 'r')).toEqual(result);
    }
    for (const result of results.dhConfigs) {
      const back = gramWire(write.dhConfig(result));
      expectFieldsCarried(result, back, gramName);
      expect(readDhConfigResult(readGramJs.dhConfig(back), 'r')).toEqual(result);
    }
    for (const result of results.updates) {
      const back = gramWire(write.updates(result));
      expect(readUpdatesResult(readGramJs.updates(back), 'r')).toEqual(result);
    }
  });

  it.each(requests.filter(layer198).map((request) => [label(request), request] as const))(
    '%s',
    (_name, request) => {
      const gram = write.request(request) as unknown as GramObject;
      const back = gramWire(gram);
      expectFieldsCarried(request, back, gramName);
      expect(readPhoneRequest(readGramJs.request(back))).toEqual(request);
    },
  );

  it('refuses what layer 198 cannot carry, and reads its allowGroupCall reason as none', () => {
    const migrate = requests.find(needsNewerLayer);
    if (migrate === undefined) throw new Error('fixture missing');
    expect(() => write.request(migrate)).toThrow(
      expect.objectContaining({ code: 'TL_UNSUPPORTED' }) as Error,
    );
    const discarded = new Api.PhoneCallDiscarded({
      id: helpers.returnBigInt(1n),
      reason: new Api.PhoneCallDiscardReasonAllowGroupCall({ encryptedKey: Buffer.alloc(1) }),
    });
    expect(readPhoneCall(readGramJs.phoneCall(gramWire(discarded)), 'c')).toEqual({
      _: 'phoneCallDiscarded',
      id: 1n,
    });
    const unknown = readGramJs.phoneCall(
      new Api.InputPhoneCall({
        id: helpers.returnBigInt(9n),
        accessHash: helpers.returnBigInt(1n),
      }),
    );
    expect(() => readPhoneCall(unknown, 'c')).toThrow(
      expect.objectContaining({ code: 'TL_MALFORMED' }) as Error,
    );
  });
});

describe('mtcute round trips', () => {
  it.each(phoneCalls.map((call) => [label(call), call] as const))('%s', (_name, call) => {
    const mt = toMtcute(call, Long);
    expectFieldsCarried(call, mt, mtcuteName);
    const back = mtcuteWire(mt);
    expectFieldsCarried(call, back, mtcuteName);
    expect(withBuffers(readPhoneCall(readMtcute(back, Long), 'call'))).toEqual(withBuffers(call));
  });

  it.each(updates.map((update) => [label(update), update] as const))('%s', (_name, update) => {
    const back = mtcuteWire(toMtcute(update, Long));
    expectFieldsCarried(update, back, mtcuteName);
    expect(withBuffers(readPhoneUpdate(readMtcute(back, Long), 'update'))).toEqual(
      withBuffers(update),
    );
  });

  it('phone.phoneCall, messages.dhConfig, dhConfigNotModified, updates and updateShort', () => {
    for (const result of results.phonePhoneCall) {
      const back = mtcuteWire(toMtcute(result, Long));
      expectFieldsCarried(result, back, mtcuteName);
      expect(withBuffers(readPhonePhoneCall(readMtcute(back, Long), 'r'))).toEqual(
        withBuffers(result),
      );
    }
    for (const result of results.dhConfigs) {
      const back = mtcuteWire(toMtcute(result, Long));
      expect(withBuffers(readDhConfigResult(readMtcute(back, Long), 'r'))).toEqual(
        withBuffers(result),
      );
    }
    for (const result of results.updates) {
      const back = mtcuteWire(toMtcute(result, Long));
      expect(withBuffers(readUpdatesResult(mtcuteUpdates(back, Long), 'r'))).toEqual(
        withBuffers(result),
      );
    }
  });

  // Requests are serialized with mtcute's writer, checked against the spec's constructor id,
  // read back with mtcute's reader (method readers from mtcute's own schema, see
  // support/mtcute-method-reader.ts), checked field by field and mapped back.
  const withMethods = readerMapWithMethods(requests.map((request) => request._));
  it.each(requests.map((request) => [label(request), request] as const))('%s', (_name, request) => {
    const mt = toMtcute(request, Long) as { _: string };
    expectFieldsCarried(request, mt, mtcuteName);
    const bytes = TlBinaryWriter.serializeObject(__tlWriterMap, mt);
    expect(Buffer.from(bytes).readUInt32LE(0)).toBe(methodIds[request._]);
    const back = readMtcuteRequest(withMethods, bytes);
    expectFieldsCarried(request, back, mtcuteName);
    expect(withBuffers(readPhoneRequest(readMtcute(back, Long)))).toEqual(withBuffers(request));
  });
});
