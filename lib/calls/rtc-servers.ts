/** phoneCall.connections → RtcServer, as tdesktop maps them (spec §3.4). */
import type { RtcServer } from '../engine/types';
import type { PhoneConnection } from '../tl';

/** One mapped entry; `reflectorId` is the 1-based rank of a reflector's id (0 for STUN/TURN). */
export interface MappedRtcServer extends RtcServer {
  reflectorId: number;
}

export interface MappedConnections {
  /** Every entry of §3.4, reflectors included (for inspection and logs). */
  all: MappedRtcServer[];
  /**
   * What the engine gets: the phoneConnectionWebrtc entries. Telegram reflectors do not
   * speak TURN, so 10.0.0/11.0.0 cannot use them (§6.1.2).
   */
  forEngine: RtcServer[];
}

export function mapConnections(connections: readonly PhoneConnection[]): MappedConnections {
  // Reflector ids: both peers get the same list, so ranking the ids gives both the same numbers.
  const reflectorIds = connections
    .filter((connection) => connection._ === 'phoneConnection')
    .map((connection) => connection.id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const all: MappedRtcServer[] = [];
  const forEngine: RtcServer[] = [];
  for (const connection of connections) {
    const hosts = [connection.ip, connection.ipv6].filter((host) => host !== '');
    if (connection._ === 'phoneConnection') {
      const reflectorId = reflectorIds.indexOf(connection.id) + 1;
      const password = Buffer.from(connection.peer_tag).toString('hex');
      for (const host of hosts) {
        all.push({
          reflectorId,
          host,
          port: connection.port,
          login: 'reflector',
          password,
          isTurn: true,
          isTcp: connection.tcp === true,
        });
      }
      continue;
    }
    const entries: RtcServer[] = [];
    for (const host of hosts) {
      if (connection.stun === true) {
        entries.push({
          host,
          port: connection.port,
          login: '',
          password: '',
          isTurn: false,
          isTcp: false,
        });
      }
    }
    if (connection.turn === true && connection.username !== '' && connection.password !== '') {
      for (const host of hosts) {
        entries.push({
          host,
          port: connection.port,
          login: connection.username,
          password: connection.password,
          isTurn: true,
          isTcp: false,
        });
      }
    }
    forEngine.push(...entries);
    all.push(...entries.map((entry) => ({ ...entry, reflectorId: 0 })));
  }
  return { all, forEngine };
}
