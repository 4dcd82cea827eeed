/** One object of every TL constructor and method of the call API, with flags set. */
import type * as tl from '../../lib/tl';

const bytes = (length: number, fill: number): Buffer => Buffer.alloc(length, fill);

export const protocol: tl.PhoneCallProtocol = {
  _: 'phoneCallProtocol',
  udp_p2p: true,
  udp_reflector: true,
  min_layer: 65,
  max_layer: 92,
  library_versions: ['11.0.0', '10.0.0'],
};

const parties = {
  id: 0x1234567890abcdefn,
  access_hash: -0x7edcba9876543210n,
  date: 1_700_000_000,
  admin_id: 1001n,
  participant_id: 1002n,
};

export const peer: tl.InputPhoneCall = {
  _: 'inputPhoneCall',
  id: parties.id,
  access_hash: parties.access_hash,
};

export const connections: tl.PhoneConnection[] = [
  {
    _: 'phoneConnection',
    tcp: true,
    id: 5n,
    ip: '10.0.0.1',
    ipv6: '::1',
    port: 596,
    peer_tag: bytes(16, 7),
  },
  {
    _: 'phoneConnectionWebrtc',
    turn: true,
    stun: true,
    id: -6n,
    ip: '10.0.0.2',
    ipv6: '',
    port: 3478,
    username: 'u',
    password: 'p',
  },
];

export const discardReasons: tl.PhoneCallDiscardReason[] = [
  { _: 'phoneCallDiscardReasonMissed' },
  { _: 'phoneCallDiscardReasonDisconnect' },
  { _: 'phoneCallDiscardReasonHangup' },
  { _: 'phoneCallDiscardReasonBusy' },
  { _: 'phoneCallDiscardReasonMigrateConferenceCall', slug: 'conf-slug' },
];

export const phoneCalls: tl.PhoneCall[] = [
  { _: 'phoneCallEmpty', id: parties.id },
  { _: 'phoneCallWaiting', video: true, ...parties, protocol, receive_date: 1_700_000_001 },
  { _: 'phoneCallWaiting', ...parties, protocol },
  { _: 'phoneCallRequested', video: true, ...parties, g_a_hash: bytes(32, 1), protocol },
  { _: 'phoneCallAccepted', video: true, ...parties, g_b: bytes(256, 2), protocol },
  {
    _: 'phoneCall',
    p2p_allowed: true,
    video: true,
    conference_supported: true,
    ...parties,
    g_a_or_b: bytes(256, 3),
    key_fingerprint: -4726151201839469344n,
    protocol,
    connections,
    start_date: 1_700_000_002,
    custom_parameters: { _: 'dataJSON', data: '{"network_use_mtproto":true}' },
  },
  {
    _: 'phoneCall',
    ...parties,
    g_a_or_b: bytes(256, 4),
    key_fingerprint: 1n,
    protocol,
    connections: [],
    start_date: 0,
  },
  ...discardReasons.map((reason): tl.PhoneCallDiscarded => ({
    _: 'phoneCallDiscarded',
    need_rating: true,
    need_debug: true,
    video: true,
    id: parties.id,
    reason,
    duration: 42,
  })),
  { _: 'phoneCallDiscarded', id: parties.id },
];

export const updates: tl.PhoneUpdate[] = [
  ...phoneCalls.map((phoneCall): tl.UpdatePhoneCall => ({
    _: 'updatePhoneCall',
    phone_call: phoneCall,
  })),
  { _: 'updatePhoneCallSignalingData', phone_call_id: parties.id, data: bytes(100, 9) },
];

export const results = {
  phonePhoneCall: phoneCalls.map((phoneCall): tl.PhonePhoneCall => ({
    _: 'phone.phoneCall',
    phone_call: phoneCall,
    users: [],
  })),
  dhConfigs: [
    { _: 'messages.dhConfig', g: 3, p: bytes(256, 0xc7), version: 2, random: bytes(256, 5) },
    { _: 'messages.dhConfigNotModified', random: bytes(256, 6) },
  ] satisfies tl.MessagesDhConfigResult[],
  updates: [
    { _: 'updates', updates: updates.slice(0, 3), users: [], chats: [], date: 5, seq: 6 },
    {
      _: 'updateShort',
      update: { _: 'updatePhoneCallSignalingData', phone_call_id: 1n, data: bytes(3, 1) },
      date: 7,
    },
  ] satisfies tl.UpdatesResult[],
};

export const requests: tl.PhoneRequest[] = [
  { _: 'messages.getDhConfig', version: 3, random_length: 256 },
  {
    _: 'phone.requestCall',
    video: true,
    user_id: { _: 'inputUser', user_id: 1002n, access_hash: -99n },
    random_id: -123456,
    g_a_hash: bytes(32, 1),
    protocol,
  },
  { _: 'phone.acceptCall', peer, g_b: bytes(256, 2), protocol },
  { _: 'phone.confirmCall', peer, g_a: bytes(256, 3), key_fingerprint: -5n, protocol },
  { _: 'phone.receivedCall', peer },
  ...discardReasons.map((reason): tl.PhoneDiscardCall => ({
    _: 'phone.discardCall',
    video: true,
    peer,
    duration: 12,
    reason,
    connection_id: 0n,
  })),
  { _: 'phone.sendSignalingData', peer, data: bytes(50, 8) },
  { _: 'phone.setCallRating', user_initiative: true, peer, rating: 3, comment: 'bad #echo' },
  { _: 'phone.setCallRating', peer, rating: 5, comment: '' },
  { _: 'phone.saveCallDebug', peer, debug: { _: 'dataJSON', data: '{"a":1}' } },
];

/** Spec constructor ids (telegram-phone-api.txt, §8.1) of the methods. */
export const methodIds: Record<tl.PhoneMethodName, number> = {
  'messages.getDhConfig': 0x26cf8950,
  'phone.requestCall': 0x42ff96ed,
  'phone.acceptCall': 0x3bd2b4a0,
  'phone.confirmCall': 0x2efe1722,
  'phone.receivedCall': 0x17d54f61,
  'phone.discardCall': 0xb2cbc1c0,
  'phone.sendSignalingData': 0xff7a9383,
  'phone.setCallRating': 0x59ead627,
  'phone.saveCallDebug': 0x277add7e,
};

/** Whether `value` (ours) mentions migrateConferenceCall or conference_supported, which
 * GramJS's layer 198 cannot carry. */
export function needsNewerLayer(value: unknown): boolean {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  return text.includes('MigrateConferenceCall') || text.includes('"conference_supported":true');
}
