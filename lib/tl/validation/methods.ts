/** Validators for the requests of the call API (the exchange's side) and their results. */
import { malformed, readTlObject } from './fields';
import type { PhoneMethodName, PhoneMethods, PhoneRequest } from '../methods';
import {
  readDataJson,
  readDhConfigResult,
  readDiscardReason,
  readInputPhoneCall,
  readInputUser,
  readPhoneCallProtocol,
  readPhonePhoneCall,
  readUpdatesResult,
} from './objects';

export const phoneMethodNames: readonly PhoneMethodName[] = [
  'messages.getDhConfig',
  'phone.requestCall',
  'phone.acceptCall',
  'phone.confirmCall',
  'phone.receivedCall',
  'phone.discardCall',
  'phone.sendSignalingData',
  'phone.setCallRating',
  'phone.saveCallDebug',
];

export function readPhoneRequest(value: unknown, path = 'request'): PhoneRequest {
  const f = readTlObject(value, path, phoneMethodNames);
  switch (f.name) {
    case 'messages.getDhConfig':
      return { _: f.name, version: f.int('version'), random_length: f.int('random_length') };
    case 'phone.requestCall':
      return {
        _: f.name,
        video: f.flag('video'),
        user_id: f.object('user_id', readInputUser),
        random_id: f.int('random_id'),
        g_a_hash: f.bytes('g_a_hash'),
        protocol: f.object('protocol', readPhoneCallProtocol),
      };
    case 'phone.acceptCall':
      return {
        _: f.name,
        peer: f.object('peer', readInputPhoneCall),
        g_b: f.bytes('g_b'),
        protocol: f.object('protocol', readPhoneCallProtocol),
      };
    case 'phone.confirmCall':
      return {
        _: f.name,
        peer: f.object('peer', readInputPhoneCall),
        g_a: f.bytes('g_a'),
        key_fingerprint: f.long('key_fingerprint'),
        protocol: f.object('protocol', readPhoneCallProtocol),
      };
    case 'phone.receivedCall':
      return { _: f.name, peer: f.object('peer', readInputPhoneCall) };
    case 'phone.discardCall':
      return {
        _: f.name,
        video: f.flag('video'),
        peer: f.object('peer', readInputPhoneCall),
        duration: f.int('duration'),
        reason: f.object('reason', readDiscardReason),
        connection_id: f.long('connection_id'),
      };
    case 'phone.sendSignalingData':
      return { _: f.name, peer: f.object('peer', readInputPhoneCall), data: f.bytes('data') };
    case 'phone.setCallRating':
      return {
        _: f.name,
        user_initiative: f.flag('user_initiative'),
        peer: f.object('peer', readInputPhoneCall),
        rating: f.int('rating'),
        comment: f.string('comment'),
      };
    case 'phone.saveCallDebug':
      return {
        _: f.name,
        peer: f.object('peer', readInputPhoneCall),
        debug: f.object('debug', readDataJson),
      };
  }
}

function readBool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw malformed(path, 'Bool', value);
  return value;
}

type ResultReaders = {
  [Name in PhoneMethodName]: (value: unknown, path: string) => PhoneMethods[Name]['result'];
};

const resultReaders: ResultReaders = {
  'messages.getDhConfig': readDhConfigResult,
  'phone.requestCall': readPhonePhoneCall,
  'phone.acceptCall': readPhonePhoneCall,
  'phone.confirmCall': readPhonePhoneCall,
  'phone.receivedCall': readBool,
  'phone.discardCall': readUpdatesResult,
  'phone.sendSignalingData': readBool,
  'phone.setCallRating': readUpdatesResult,
  'phone.saveCallDebug': readBool,
};

/** Checks the result of `method` as it came back from a transport. */
export function readPhoneResult<Name extends PhoneMethodName>(
  method: Name,
  value: unknown,
): PhoneMethods[Name]['result'] {
  return resultReaders[method](value, `${method} result`);
}
