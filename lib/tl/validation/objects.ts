/**
 * Validators for every TL constructor of the call API: each takes an untrusted value and
 * returns a fresh, well-typed object, or throws TL_MALFORMED (see fields.ts).
 */
import type { PhoneConnection } from '../connections';
import type { MessagesDhConfigResult } from '../dh-config';
import type { PhoneCallDiscardReason } from '../discard-reasons';
import type { DataJSON, InputPhoneCall, InputUser } from '../inputs';
import type { PhoneCall, PhonePhoneCall } from '../phone-calls';
import type { PhoneCallProtocol } from '../protocol';
import type { PhoneUpdate, UpdatesResult } from '../updates';
import { readTlObject, type TlFields } from './fields';

export function readPhoneCallProtocol(value: unknown, path: string): PhoneCallProtocol {
  const f = readTlObject(value, path, ['phoneCallProtocol']);
  return {
    _: f.name,
    udp_p2p: f.flag('udp_p2p'),
    udp_reflector: f.flag('udp_reflector'),
    min_layer: f.int('min_layer'),
    max_layer: f.int('max_layer'),
    library_versions: f.stringVector('library_versions'),
  };
}

export function readPhoneConnection(value: unknown, path: string): PhoneConnection {
  const f = readTlObject(value, path, ['phoneConnection', 'phoneConnectionWebrtc']);
  const common = {
    id: f.long('id'),
    ip: f.string('ip'),
    ipv6: f.string('ipv6'),
    port: f.int('port'),
  };
  if (f.name === 'phoneConnection') {
    return { _: f.name, tcp: f.flag('tcp'), ...common, peer_tag: f.bytes('peer_tag') };
  }
  return {
    _: f.name,
    turn: f.flag('turn'),
    stun: f.flag('stun'),
    ...common,
    username: f.string('username'),
    password: f.string('password'),
  };
}

export function readDiscardReason(value: unknown, path: string): PhoneCallDiscardReason {
  const f = readTlObject(value, path, [
    'phoneCallDiscardReasonMissed',
    'phoneCallDiscardReasonDisconnect',
    'phoneCallDiscardReasonHangup',
    'phoneCallDiscardReasonBusy',
    'phoneCallDiscardReasonMigrateConferenceCall',
  ]);
  if (f.name === 'phoneCallDiscardReasonMigrateConferenceCall') {
    return { _: f.name, slug: f.string('slug') };
  }
  return { _: f.name };
}

export function readDataJson(value: unknown, path: string): DataJSON {
  const f = readTlObject(value, path, ['dataJSON']);
  return { _: f.name, data: f.string('data') };
}

export function readInputPhoneCall(value: unknown, path: string): InputPhoneCall {
  const f = readTlObject(value, path, ['inputPhoneCall']);
  return { _: f.name, id: f.long('id'), access_hash: f.long('access_hash') };
}

export function readInputUser(value: unknown, path: string): InputUser {
  const f = readTlObject(value, path, ['inputUser']);
  return { _: f.name, user_id: f.long('user_id'), access_hash: f.long('access_hash') };
}

function parties(f: TlFields) {
  return {
    id: f.long('id'),
    access_hash: f.long('access_hash'),
    date: f.int('date'),
    admin_id: f.long('admin_id'),
    participant_id: f.long('participant_id'),
  };
}

export function readPhoneCall(value: unknown, path: string): PhoneCall {
  const f = readTlObject(value, path, [
    'phoneCallEmpty',
    'phoneCallWaiting',
    'phoneCallRequested',
    'phoneCallAccepted',
    'phoneCall',
    'phoneCallDiscarded',
  ]);
  switch (f.name) {
    case 'phoneCallEmpty':
      return { _: f.name, id: f.long('id') };
    case 'phoneCallWaiting':
      return {
        _: f.name,
        video: f.flag('video'),
        ...parties(f),
        protocol: f.object('protocol', readPhoneCallProtocol),
        receive_date: f.optionalInt('receive_date'),
      };
    case 'phoneCallRequested':
      return {
        _: f.name,
        video: f.flag('video'),
        ...parties(f),
        g_a_hash: f.bytes('g_a_hash'),
        protocol: f.object('protocol', readPhoneCallProtocol),
      };
    case 'phoneCallAccepted':
      return {
        _: f.name,
        video: f.flag('video'),
        ...parties(f),
        g_b: f.bytes('g_b'),
        protocol: f.object('protocol', readPhoneCallProtocol),
      };
    case 'phoneCall':
      return {
        _: f.name,
        p2p_allowed: f.flag('p2p_allowed'),
        video: f.flag('video'),
        conference_supported: f.flag('conference_supported'),
        ...parties(f),
        g_a_or_b: f.bytes('g_a_or_b'),
        key_fingerprint: f.long('key_fingerprint'),
        protocol: f.object('protocol', readPhoneCallProtocol),
        connections: f.vector('connections', readPhoneConnection),
        start_date: f.int('start_date'),
        custom_parameters: f.optionalObject('custom_parameters', readDataJson),
      };
    case 'phoneCallDiscarded':
      return {
        _: f.name,
        need_rating: f.flag('need_rating'),
        need_debug: f.flag('need_debug'),
        video: f.flag('video'),
        id: f.long('id'),
        reason: f.optionalObject('reason', readDiscardReason),
        duration: f.optionalInt('duration'),
      };
  }
}

export function readPhonePhoneCall(value: unknown, path: string): PhonePhoneCall {
  const f = readTlObject(value, path, ['phone.phoneCall']);
  return {
    _: f.name,
    phone_call: f.object('phone_call', readPhoneCall),
    users: f.opaqueVector('users'),
  };
}

export function readPhoneUpdate(value: unknown, path: string): PhoneUpdate {
  const f = readTlObject(value, path, ['updatePhoneCall', 'updatePhoneCallSignalingData']);
  if (f.name === 'updatePhoneCall') {
    return { _: f.name, phone_call: f.object('phone_call', readPhoneCall) };
  }
  return { _: f.name, phone_call_id: f.long('phone_call_id'), data: f.bytes('data') };
}

export function readUpdatesResult(value: unknown, path: string): UpdatesResult {
  const f = readTlObject(value, path, ['updates', 'updateShort']);
  if (f.name === 'updateShort') {
    return { _: f.name, update: f.object('update', readPhoneUpdate), date: f.int('date') };
  }
  return {
    _: f.name,
    updates: f.vector('updates', readPhoneUpdate),
    users: f.opaqueVector('users'),
    chats: f.opaqueVector('chats'),
    date: f.int('date'),
    seq: f.int('seq'),
  };
}

export function readDhConfigResult(value: unknown, path: string): MessagesDhConfigResult {
  const f = readTlObject(value, path, ['messages.dhConfig', 'messages.dhConfigNotModified']);
  if (f.name === 'messages.dhConfigNotModified') return { _: f.name, random: f.bytes('random') };
  return {
    _: f.name,
    g: f.int('g'),
    p: f.bytes('p'),
    version: f.int('version'),
    random: f.bytes('random'),
  };
}
