/**
 * The impaired path of the fault scenarios: an impaired UDP relay in front of a real TURN
 * server (coturn), and the rtcServers entry that forces relay-only endpoints through it.
 */
import type { RtcServer } from '../../lib/engine/types';
import {
  startImpairedUdpRelay,
  type ImpairedUdpRelay,
  type ImpairmentProfile,
} from '../../lib/netem';
import type { TurnServer } from '../../test/support/turn-server';

export interface ImpairedPath {
  relay: ImpairedUdpRelay;
  /** One TURN entry pointing at the relay, with the TURN server's credentials. */
  servers: RtcServer[];
  close(): Promise<void>;
}

export interface ImpairedPathOptions {
  seed: number;
  /**
   * Applied to the client → TURN leg, which every media packet of both directions crosses
   * exactly once: the end-to-end loss and delay are the profile's.
   */
  profile?: ImpairmentProfile;
  password?: string;
}

export async function startImpairedPath(
  turn: TurnServer,
  options: ImpairedPathOptions,
): Promise<ImpairedPath> {
  const relay = await startImpairedUdpRelay({
    target: { host: turn.host, port: turn.port },
    seed: options.seed,
    toTarget: options.profile ?? {},
  });
  return {
    relay,
    servers: [
      {
        host: relay.host,
        port: relay.port,
        login: turn.username,
        password: options.password ?? turn.password,
        isTurn: true,
        isTcp: false,
      },
    ],
    close: () => relay.close(),
  };
}
