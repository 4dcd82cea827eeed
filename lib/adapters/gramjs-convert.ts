/**
 * GramJS (the `telegram` package) TL classes ⇄ this package's TL objects.
 *
 * GramJS 2.26 speaks layer 198, older than the spec's layer: its phoneCall has no
 * conference_supported, and it has no phoneCallDiscardReasonMigrateConferenceCall (a server
 * talking layer 198 never sends either). Its layer-198 phoneCallDiscardReasonAllowGroupCall
 * becomes "no reason", so the call still ends. Reading is lenient — a missing field becomes
 * undefined and the call layer's validation rejects it with TL_MALFORMED — so that a bad
 * object ends its call instead of vanishing.
 */
import type * as Telegram from 'telegram';

import { TgCallsError } from '../errors';
import type * as tl from '../tl';

type TelegramModule = typeof Telegram;
type Api = TelegramModule['Api'];
/** A GramJS TL object, read structurally. */
type GramObject = Record<string, unknown> & { className?: unknown };

function long(value: unknown): unknown {
  // GramJS longs are big-integer BigIntegers; anything else is left for validation to reject.
  return typeof value === 'object' && value !== null
    ? BigInt((value as { toString(): string }).toString())
    : value;
}

function flag(value: unknown): boolean | undefined {
  return value === true ? true : undefined;
}

function optional(value: unknown): unknown {
  return value === null ? undefined : value;
}

function obj(value: unknown): GramObject {
  return typeof value === 'object' && value !== null ? (value as GramObject) : {};
}

/** Reads GramJS objects into this package's TL form (unvalidated: the call layer validates). */
export const fromGramJs = {
  protocol(value: unknown): unknown {
    const o = obj(value);
    return {
      _: 'phoneCallProtocol',
      udp_p2p: flag(o.udpP2p),
      udp_reflector: flag(o.udpReflector),
      min_layer: o.minLayer,
      max_layer: o.maxLayer,
      library_versions: o.libraryVersions,
    };
  },

  connection(value: unknown): unknown {
    const o = obj(value);
    const common = { id: long(o.id), ip: o.ip, ipv6: o.ipv6, port: o.port };
    if (o.className === 'PhoneConnection') {
      return { _: 'phoneConnection', tcp: flag(o.tcp), ...common, peer_tag: o.peerTag };
    }
    return {
      _: o.className === 'PhoneConnectionWebrtc' ? 'phoneConnectionWebrtc' : String(o.className),
      turn: flag(o.turn),
      stun: flag(o.stun),
      ...common,
      username: o.username,
      password: o.password,
    };
  },

  discardReason(value: unknown): unknown {
    if (value === undefined || value === null) return undefined;
    const name = String(obj(value).className);
    const known = ['Missed', 'Disconnect', 'Hangup', 'Busy'].find(
      (reason) => name === `PhoneCallDiscardReason${reason}`,
    );
    return known === undefined ? undefined : { _: `phoneCallDiscardReason${known}` };
  },

  dataJson(value: unknown): unknown {
    if (value === undefined || value === null) return undefined;
    return { _: 'dataJSON', data: obj(value).data };
  },

  phoneCall(value: unknown): unknown {
    const o = obj(value);
    const parties = {
      id: long(o.id),
      access_hash: long(o.accessHash),
      date: o.date,
      admin_id: long(o.adminId),
      participant_id: long(o.participantId),
    };
    switch (o.className) {
      case 'PhoneCallEmpty':
        return { _: 'phoneCallEmpty', id: long(o.id) };
      case 'PhoneCallWaiting':
        return {
          _: 'phoneCallWaiting',
          video: flag(o.video),
          ...parties,
          protocol: fromGramJs.protocol(o.protocol),
          receive_date: optional(o.receiveDate),
        };
      case 'PhoneCallRequested':
        return {
          _: 'phoneCallRequested',
          video: flag(o.video),
          ...parties,
          g_a_hash: o.gAHash,
          protocol: fromGramJs.protocol(o.protocol),
        };
      case 'PhoneCallAccepted':
        return {
          _: 'phoneCallAccepted',
          video: flag(o.video),
          ...parties,
          g_b: o.gB,
          protocol: fromGramJs.protocol(o.protocol),
        };
      case 'PhoneCall':
        return {
          _: 'phoneCall',
          p2p_allowed: flag(o.p2pAllowed),
          video: flag(o.video),
          ...parties,
          g_a_or_b: o.gAOrB,
          key_fingerprint: long(o.keyFingerprint),
          protocol: fromGramJs.protocol(o.protocol),
          connections: Array.isArray(o.connections)
            ? o.connections.map((connection: unknown) => fromGramJs.connection(connection))
            : o.connections,
          start_date: o.startDate,
          custom_parameters: fromGramJs.dataJson(o.customParameters),
        };
      case 'PhoneCallDiscarded':
        return {
          _: 'phoneCallDiscarded',
          need_rating: flag(o.needRating),
          need_debug: flag(o.needDebug),
          video: flag(o.video),
          id: long(o.id),
          reason: fromGramJs.discardReason(o.reason),
          duration: optional(o.duration),
        };
      default:
        // Unknown: keep the id so that the call it names fails with TL_MALFORMED.
        return { _: String(o.className), id: long(o.id) };
    }
  },

  /** updatePhoneCall / updatePhoneCallSignalingData, or undefined for any other update. */
  update(value: unknown): unknown {
    const o = obj(value);
    if (o.className === 'UpdatePhoneCall') {
      return { _: 'updatePhoneCall', phone_call: fromGramJs.phoneCall(o.phoneCall) };
    }
    if (o.className === 'UpdatePhoneCallSignalingData') {
      return {
        _: 'updatePhoneCallSignalingData',
        phone_call_id: long(o.phoneCallId),
        data: o.data,
      };
    }
    return undefined;
  },

  /** An Updates result, reduced to its phone updates. */
  updates(value: unknown): unknown {
    const o = obj(value);
    if (o.className === 'UpdateShort') {
      const update = fromGramJs.update(o.update);
      if (update !== undefined) return { _: 'updateShort', update, date: o.date };
    }
    const list = Array.isArray(o.updates) ? o.updates : [];
    return {
      _: 'updates',
      updates: list
        .map((update: unknown) => fromGramJs.update(update))
        .filter((u) => u !== undefined),
      users: Array.isArray(o.users) ? o.users : [],
      chats: Array.isArray(o.chats) ? o.chats : [],
      date: typeof o.date === 'number' ? o.date : 0,
      seq: typeof o.seq === 'number' ? o.seq : 0,
    };
  },

  phonePhoneCall(value: unknown): unknown {
    const o = obj(value);
    return { _: 'phone.phoneCall', phone_call: fromGramJs.phoneCall(o.phoneCall), users: o.users };
  },

  dhConfig(value: unknown): unknown {
    const o = obj(value);
    if (o.className === 'messages.DhConfigNotModified') {
      return { _: 'messages.dhConfigNotModified', random: o.random };
    }
    return { _: 'messages.dhConfig', g: o.g, p: o.p, version: o.version, random: o.random };
  },

  inputPhoneCall(value: unknown): unknown {
    const o = obj(value);
    return { _: 'inputPhoneCall', id: long(o.id), access_hash: long(o.accessHash) };
  },

  /** A GramJS request back into ours (for tests and tools; the adapter only writes requests). */
  request(value: unknown): unknown {
    const o = obj(value);
    const peer = (): unknown => fromGramJs.inputPhoneCall(o.peer);
    switch (o.className) {
      case 'messages.GetDhConfig':
        return { _: 'messages.getDhConfig', version: o.version, random_length: o.randomLength };
      case 'phone.RequestCall': {
        const user = obj(o.userId);
        return {
          _: 'phone.requestCall',
          video: flag(o.video),
          user_id: {
            _: 'inputUser',
            user_id: long(user.userId),
            access_hash: long(user.accessHash),
          },
          random_id: o.randomId,
          g_a_hash: o.gAHash,
          protocol: fromGramJs.protocol(o.protocol),
        };
      }
      case 'phone.AcceptCall':
        return {
          _: 'phone.acceptCall',
          peer: peer(),
          g_b: o.gB,
          protocol: fromGramJs.protocol(o.protocol),
        };
      case 'phone.ConfirmCall':
        return {
          _: 'phone.confirmCall',
          peer: peer(),
          g_a: o.gA,
          key_fingerprint: long(o.keyFingerprint),
          protocol: fromGramJs.protocol(o.protocol),
        };
      case 'phone.ReceivedCall':
        return { _: 'phone.receivedCall', peer: peer() };
      case 'phone.DiscardCall':
        return {
          _: 'phone.discardCall',
          video: flag(o.video),
          peer: peer(),
          duration: o.duration,
          reason: fromGramJs.discardReason(o.reason),
          connection_id: long(o.connectionId),
        };
      case 'phone.SendSignalingData':
        return { _: 'phone.sendSignalingData', peer: peer(), data: o.data };
      case 'phone.SetCallRating':
        return {
          _: 'phone.setCallRating',
          user_initiative: flag(o.userInitiative),
          peer: peer(),
          rating: o.rating,
          comment: o.comment,
        };
      case 'phone.SaveCallDebug':
        return { _: 'phone.saveCallDebug', peer: peer(), debug: fromGramJs.dataJson(o.debug) };
      default:
        return { _: String(o.className) };
    }
  },
};

/** Writes this package's TL objects as GramJS classes; needs the loaded `telegram` module. */
export class GramJsWriter {
  private readonly Api: Api;
  private readonly big: TelegramModule['helpers']['returnBigInt'];

  constructor(telegram: Pick<TelegramModule, 'Api' | 'helpers'>) {
    this.Api = telegram.Api;
    this.big = telegram.helpers.returnBigInt;
  }

  protocol(value: tl.PhoneCallProtocol): Telegram.Api.PhoneCallProtocol {
    return new this.Api.PhoneCallProtocol({
      udpP2p: value.udp_p2p,
      udpReflector: value.udp_reflector,
      minLayer: value.min_layer,
      maxLayer: value.max_layer,
      libraryVersions: [...value.library_versions],
    });
  }

  connection(value: tl.PhoneConnection): Telegram.Api.TypePhoneConnection {
    const common = { id: this.big(value.id), ip: value.ip, ipv6: value.ipv6, port: value.port };
    if (value._ === 'phoneConnection') {
      return new this.Api.PhoneConnection({
        tcp: value.tcp,
        ...common,
        peerTag: Buffer.from(value.peer_tag),
      });
    }
    return new this.Api.PhoneConnectionWebrtc({
      turn: value.turn,
      stun: value.stun,
      ...common,
      username: value.username,
      password: value.password,
    });
  }

  discardReason(value: tl.PhoneCallDiscardReason): Telegram.Api.TypePhoneCallDiscardReason {
    switch (value._) {
      case 'phoneCallDiscardReasonMissed':
        return new this.Api.PhoneCallDiscardReasonMissed();
      case 'phoneCallDiscardReasonDisconnect':
        return new this.Api.PhoneCallDiscardReasonDisconnect();
      case 'phoneCallDiscardReasonHangup':
        return new this.Api.PhoneCallDiscardReasonHangup();
      case 'phoneCallDiscardReasonBusy':
        return new this.Api.PhoneCallDiscardReasonBusy();
      case 'phoneCallDiscardReasonMigrateConferenceCall':
        throw new TgCallsError(
          'TL_UNSUPPORTED',
          'GramJS (layer 198) cannot express phoneCallDiscardReasonMigrateConferenceCall',
        );
    }
  }

  dataJson(value: tl.DataJSON): Telegram.Api.DataJSON {
    return new this.Api.DataJSON({ data: value.data });
  }

  inputPhoneCall(value: tl.InputPhoneCall): Telegram.Api.InputPhoneCall {
    return new this.Api.InputPhoneCall({
      id: this.big(value.id),
      accessHash: this.big(value.access_hash),
    });
  }

  phoneCall(value: tl.PhoneCall): Telegram.Api.TypePhoneCall {
    if (value._ === 'phoneCallEmpty')
      return new this.Api.PhoneCallEmpty({ id: this.big(value.id) });
    if (value._ === 'phoneCallDiscarded') {
      return new this.Api.PhoneCallDiscarded({
        needRating: value.need_rating,
        needDebug: value.need_debug,
        video: value.video,
        id: this.big(value.id),
        reason: value.reason === undefined ? undefined : this.discardReason(value.reason),
        duration: value.duration,
      });
    }
    const parties = {
      id: this.big(value.id),
      accessHash: this.big(value.access_hash),
      date: value.date,
      adminId: this.big(value.admin_id),
      participantId: this.big(value.participant_id),
      protocol: this.protocol(value.protocol),
    };
    switch (value._) {
      case 'phoneCallWaiting':
        return new this.Api.PhoneCallWaiting({
          video: value.video,
          ...parties,
          receiveDate: value.receive_date,
        });
      case 'phoneCallRequested':
        return new this.Api.PhoneCallRequested({
          video: value.video,
          ...parties,
          gAHash: Buffer.from(value.g_a_hash),
        });
      case 'phoneCallAccepted':
        return new this.Api.PhoneCallAccepted({
          video: value.video,
          ...parties,
          gB: Buffer.from(value.g_b),
        });
      case 'phoneCall':
        return new this.Api.PhoneCall({
          p2pAllowed: value.p2p_allowed,
          video: value.video,
          ...parties,
          gAOrB: Buffer.from(value.g_a_or_b),
          keyFingerprint: this.big(value.key_fingerprint),
          connections: value.connections.map((connection) => this.connection(connection)),
          startDate: value.start_date,
          customParameters:
            value.custom_parameters === undefined
              ? undefined
              : this.dataJson(value.custom_parameters),
        });
    }
  }

  update(value: tl.PhoneUpdate): Telegram.Api.TypeUpdate {
    if (value._ === 'updatePhoneCall') {
      return new this.Api.UpdatePhoneCall({ phoneCall: this.phoneCall(value.phone_call) });
    }
    return new this.Api.UpdatePhoneCallSignalingData({
      phoneCallId: this.big(value.phone_call_id),
      data: Buffer.from(value.data),
    });
  }

  phonePhoneCall(value: tl.PhonePhoneCall): Telegram.Api.phone.PhoneCall {
    return new this.Api.phone.PhoneCall({
      phoneCall: this.phoneCall(value.phone_call),
      users: value.users as Telegram.Api.TypeUser[],
    });
  }

  dhConfig(value: tl.MessagesDhConfigResult): Telegram.Api.messages.TypeDhConfig {
    if (value._ === 'messages.dhConfigNotModified') {
      return new this.Api.messages.DhConfigNotModified({ random: Buffer.from(value.random) });
    }
    return new this.Api.messages.DhConfig({
      g: value.g,
      p: Buffer.from(value.p),
      version: value.version,
      random: Buffer.from(value.random),
    });
  }

  updates(value: tl.UpdatesResult): Telegram.Api.TypeUpdates {
    if (value._ === 'updateShort') {
      return new this.Api.UpdateShort({ update: this.update(value.update), date: value.date });
    }
    return new this.Api.Updates({
      updates: value.updates.map((update) => this.update(update)),
      users: value.users as Telegram.Api.TypeUser[],
      chats: value.chats as Telegram.Api.TypeChat[],
      date: value.date,
      seq: value.seq,
    });
  }

  request(value: tl.PhoneRequest): Telegram.Api.AnyRequest {
    switch (value._) {
      case 'messages.getDhConfig':
        return new this.Api.messages.GetDhConfig({
          version: value.version,
          randomLength: value.random_length,
        });
      case 'phone.requestCall':
        return new this.Api.phone.RequestCall({
          video: value.video,
          userId: new this.Api.InputUser({
            userId: this.big(value.user_id.user_id),
            accessHash: this.big(value.user_id.access_hash),
          }),
          randomId: value.random_id,
          gAHash: Buffer.from(value.g_a_hash),
          protocol: this.protocol(value.protocol),
        });
      case 'phone.acceptCall':
        return new this.Api.phone.AcceptCall({
          peer: this.inputPhoneCall(value.peer),
          gB: Buffer.from(value.g_b),
          protocol: this.protocol(value.protocol),
        });
      case 'phone.confirmCall':
        return new this.Api.phone.ConfirmCall({
          peer: this.inputPhoneCall(value.peer),
          gA: Buffer.from(value.g_a),
          keyFingerprint: this.big(value.key_fingerprint),
          protocol: this.protocol(value.protocol),
        });
      case 'phone.receivedCall':
        return new this.Api.phone.ReceivedCall({ peer: this.inputPhoneCall(value.peer) });
      case 'phone.discardCall':
        return new this.Api.phone.DiscardCall({
          video: value.video,
          peer: this.inputPhoneCall(value.peer),
          duration: value.duration,
          reason: this.discardReason(value.reason),
          connectionId: this.big(value.connection_id),
        });
      case 'phone.sendSignalingData':
        return new this.Api.phone.SendSignalingData({
          peer: this.inputPhoneCall(value.peer),
          data: Buffer.from(value.data),
        });
      case 'phone.setCallRating':
        return new this.Api.phone.SetCallRating({
          userInitiative: value.user_initiative,
          peer: this.inputPhoneCall(value.peer),
          rating: value.rating,
          comment: value.comment,
        });
      case 'phone.saveCallDebug':
        return new this.Api.phone.SaveCallDebug({
          peer: this.inputPhoneCall(value.peer),
          debug: this.dataJson(value.debug),
        });
    }
  }
}

/** Reads the result of `method` from GramJS into this package's TL form. */
export function gramJsResult(method: tl.PhoneMethodName, value: unknown): unknown {
  switch (method) {
    case 'messages.getDhConfig':
      return fromGramJs.dhConfig(value);
    case 'phone.requestCall':
    case 'phone.acceptCall':
    case 'phone.confirmCall':
      return fromGramJs.phonePhoneCall(value);
    case 'phone.discardCall':
    case 'phone.setCallRating':
      return fromGramJs.updates(value);
    case 'phone.receivedCall':
    case 'phone.sendSignalingData':
    case 'phone.saveCallDebug':
      return value;
  }
}
