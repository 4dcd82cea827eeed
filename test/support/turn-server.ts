import { spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A real TURN server (Debian's coturn) on loopback, for relay tests. */
export interface TurnServer {
  host: string;
  port: number;
  username: string;
  password: string;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

export async function startTurnServer(): Promise<TurnServer> {
  const port = await freeUdpPort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-turn-'));
  const username = 'tgcalls';
  const password = 'relay-secret';
  const relayBase = 50000 + (port % 10000);
  const child: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      '--listening-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--relay-ip=127.0.0.1',
      `--min-port=${relayBase}`,
      `--max-port=${relayBase + 200}`,
      '--lt-cred-mech',
      `--user=${username}:${password}`,
      '--realm=node-tgcalls.test',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--allow-loopback-peers',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`coturn did not start:\n${output}`));
    }, 10_000);
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Relay ports are ready once coturn reports its listeners.
      if (/relay ports initialization|Total (General|UDP) servers/i.test(output)) {
        clearTimeout(timer);
        setTimeout(resolve, 200);
      }
    });
  });
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
