/**
 * A UDP proxy in front of a TURN server that delays every datagram from a client to the
 * server by a fixed time (server to client is forwarded at once). Relay-only endpoints reach
 * each other through the TURN server, so each direction of their media crosses the delayed
 * leg exactly once: the added one-way delay is `delayMs`.
 */
import * as dgram from 'node:dgram';

export interface DelayProxy {
  port: number;
  /** Datagrams forwarded in each direction. */
  counts(): { toServer: number; toClient: number };
  close(): Promise<void>;
}

export async function startDelayProxy(
  serverHost: string,
  serverPort: number,
  delayMs: number,
): Promise<DelayProxy> {
  const front = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  // One upstream socket per client, so the TURN server sees each client as its own address.
  const upstreams = new Map<string, dgram.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let toServer = 0;
  let toClient = 0;
  let closed = false;

  const upstreamFor = (address: string, port: number): dgram.Socket => {
    const key = `${address}:${port}`;
    let upstream = upstreams.get(key);
    if (upstream) return upstream;
    upstream = dgram.createSocket('udp4');
    upstream.bind(0, '127.0.0.1');
    upstream.on('message', (message) => {
      if (closed) return;
      toClient++;
      front.send(message, port, address);
    });
    upstreams.set(key, upstream);
    return upstream;
  };

  front.on('message', (message, remote) => {
    const upstream = upstreamFor(remote.address, remote.port);
    const forward = (): void => {
      if (closed) return;
      toServer++;
      upstream.send(message, serverPort, serverHost);
    };
    if (delayMs <= 0) {
      forward();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      forward();
    }, delayMs);
    timers.add(timer);
  });

  return {
    port: front.address().port,
    counts: () => ({ toServer, toClient }),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      const sockets = [front, ...upstreams.values()];
      await Promise.all(
        sockets.map(
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
