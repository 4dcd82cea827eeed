/**
 * A UDP relay on 127.0.0.1 that impairs what passes through it: put it in front of a TURN
 * server and give relay-only endpoints its port, and every packet between them (ICE, DTLS,
 * media, TURN control) crosses it. User-space stand-in for Linux netem, for machines and CI
 * containers without it.
 *
 * Relay-only endpoints behind one TURN server cross the relay twice per packet: once
 * `toTarget` (sender → TURN server) and once `fromTarget` (TURN server → receiver). Impair one
 * leg to get exactly the end-to-end loss and delay you set; impair both to compound them.
 */
import * as dgram from 'node:dgram';

import { DeliveryQueue } from './delivery-queue';
import {
  ImpairmentModel,
  type ImpairmentCounters,
  type ImpairmentProfile,
} from './impairment-model';
import { deriveSeed } from './prng';

export type RelayDirection = 'toTarget' | 'fromTarget';

export interface ImpairedUdpRelayOptions {
  /** Where client packets go, e.g. a TURN server. Loopback only. */
  target: { host: string; port: number };
  /** Seed of every random decision; the same seed gives the same fate to the n-th packet. */
  seed?: number;
  /** Impairment of packets from clients to the target. Default: none. */
  toTarget?: ImpairmentProfile;
  /** Impairment of packets from the target back to clients. Default: none. */
  fromTarget?: ImpairmentProfile;
}

export interface RelayDirectionStats extends ImpairmentCounters {
  /** Copies handed on before a copy that entered the relay earlier (reordering seen). */
  outOfOrder: number;
}

export interface ImpairedUdpRelay {
  readonly host: '127.0.0.1';
  readonly port: number;
  setProfile(direction: RelayDirection, profile: ImpairmentProfile): void;
  /** Drops every packet in both directions for `durationMs` from now. */
  blackout(durationMs: number): void;
  stats(): Record<RelayDirection, RelayDirectionStats>;
  close(): Promise<void>;
}

const loopback = '127.0.0.1';

function isLoopback(host: string): boolean {
  return host === loopback || host === 'localhost' || host.startsWith('127.');
}

class Direction {
  readonly model: ImpairmentModel;
  private nextSequence = 0;
  private highestDelivered = -1;
  outOfOrder = 0;

  constructor(profile: ImpairmentProfile, seed: number) {
    this.model = new ImpairmentModel(profile, seed);
  }

  /** Schedules `send` for each copy the model lets through. */
  pass(queue: DeliveryQueue, bytes: number, send: () => void): void {
    const sequence = this.nextSequence++;
    for (const atMs of this.model.decide(performance.now(), bytes)) {
      queue.schedule(atMs, () => {
        if (sequence < this.highestDelivered) this.outOfOrder++;
        this.highestDelivered = Math.max(this.highestDelivered, sequence);
        send();
      });
    }
  }

  stats(): RelayDirectionStats {
    const counters = this.model.counters;
    return { ...counters, dropped: { ...counters.dropped }, outOfOrder: this.outOfOrder };
  }
}

async function bindLoopback(socket: dgram.Socket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, loopback, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

export async function startImpairedUdpRelay(
  options: ImpairedUdpRelayOptions,
): Promise<ImpairedUdpRelay> {
  const { target } = options;
  if (!isLoopback(target.host)) throw new RangeError('the relay only forwards to loopback');
  const seed = options.seed ?? 1;
  const directions: Record<RelayDirection, Direction> = {
    toTarget: new Direction(options.toTarget ?? {}, deriveSeed(seed, 0)),
    fromTarget: new Direction(options.fromTarget ?? {}, deriveSeed(seed, 1)),
  };
  const queue = new DeliveryQueue();
  const front = dgram.createSocket('udp4');
  await bindLoopback(front);
  // One upstream socket per client, so the target sees each client at its own address (a TURN
  // server keys allocations by it).
  const upstreams = new Map<string, dgram.Socket>();
  let closed = false;
  const ignore = (): void => undefined; // a send to a closed port is a lost packet, nothing more

  const upstreamFor = (address: string, port: number): dgram.Socket => {
    const key = `${address}:${port}`;
    let upstream = upstreams.get(key);
    if (upstream) return upstream;
    const socket = dgram.createSocket('udp4');
    socket.on('error', ignore);
    socket.bind(0, loopback);
    socket.on('message', (message) => {
      directions.fromTarget.pass(queue, message.length, () => {
        if (!closed) front.send(message, port, address, ignore);
      });
    });
    upstreams.set(key, socket);
    upstream = socket;
    return upstream;
  };

  front.on('error', ignore);
  front.on('message', (message, remote) => {
    if (closed) return;
    const upstream = upstreamFor(remote.address, remote.port);
    directions.toTarget.pass(queue, message.length, () => {
      if (!closed) upstream.send(message, target.port, target.host, ignore);
    });
  });

  return {
    host: loopback,
    port: front.address().port,
    setProfile: (direction, profile) => {
      directions[direction].model.setProfile(profile);
    },
    blackout: (durationMs) => {
      const now = performance.now();
      directions.toTarget.model.addBlackout(now, durationMs);
      directions.fromTarget.model.addBlackout(now, durationMs);
    },
    stats: () => ({
      toTarget: directions.toTarget.stats(),
      fromTarget: directions.fromTarget.stats(),
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      queue.close();
      await Promise.all(
        [front, ...upstreams.values()].map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.close(() => {
                resolve();
              });
            }),
        ),
      );
    },
  };
}
