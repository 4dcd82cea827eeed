import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { analyseTone } from '../lib/media/analysis';
import { decodeWav, encodeWav, sineTone } from '../lib/media/wav';
import { makeKeys } from './support/engine-pair';
import { repoRoot } from './support/paths';

const cli = path.join(repoRoot, 'dist', 'cli', 'main.js');
const callSeconds = 3;
// A peer must be gone this long after its call: setup, the call, stop and the analysis.
const exitWithinMs = callSeconds * 1000 + 12_000;

interface PeerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

interface PeerReport {
  version: string;
  role: string;
  connected: boolean;
  setupMs: number;
  received: { expectedHz: number; dominantHz: number; toneFraction: number; ok: boolean };
  ok: boolean;
}

/**
 * Starts `node-tgcalls peer`; a peer that outlives exitWithinMs is killed (and fails). Its
 * stdout is collected unless it carries signaling (`--signaling -`).
 */
function startPeer(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  done: Promise<PeerResult>;
} {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [cli, 'peer', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: exitWithinMs,
  });
  // The other side may close its end first; writes to it then fail, harmlessly.
  child.stdin.on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  if (!args.includes('-')) child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<PeerResult>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - startedAt });
    });
  });
  return { child, done };
}

/** The JSON report: on stdout with a socket, on stderr when stdout carries signaling. */
function reportOf(text: string): PeerReport {
  const line = text
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON report in:\n${text}`);
  return JSON.parse(line) as PeerReport;
}

describe('node-tgcalls peer', () => {
  let dir: string;
  let keyFile: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-peer-cli-'));
    keyFile = path.join(dir, 'key.hex');
    const { callerKey, calleeKey } = makeKeys();
    fs.writeFileSync(keyFile, callerKey.exportBytes().toString('hex'));
    callerKey.release();
    calleeKey.release();
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const common = (version: string, role: string): string[] => [
    '--version',
    version,
    '--role',
    role,
    '--key',
    keyFile,
    '--seconds',
    String(callSeconds),
    '--json',
  ];

  /** Two peers whose stdout feeds the other's stdin (`--signaling -`). */
  async function callOverStdio(
    version: string,
    extra: { caller?: string[]; callee?: string[] } = {},
  ): Promise<{ caller: PeerResult; callee: PeerResult }> {
    const caller = startPeer([
      ...common(version, 'caller'),
      '--signaling',
      '-',
      ...(extra.caller ?? []),
    ]);
    const callee = startPeer([
      ...common(version, 'callee'),
      '--signaling',
      '-',
      ...(extra.callee ?? []),
    ]);
    caller.child.stdout.pipe(callee.child.stdin);
    callee.child.stdout.pipe(caller.child.stdin);
    const [callerResult, calleeResult] = await Promise.all([caller.done, callee.done]);
    return { caller: callerResult, callee: calleeResult };
  }

  it.each(['11.0.0', '10.0.0'])(
    'connects two processes over each other’s stdin/stdout and both exit 0 right after the call (%s)',
    async (version) => {
      const { caller, callee } = await callOverStdio(version);
      for (const [result, expectedHz] of [
        [caller, 600],
        [callee, 1000],
      ] as const) {
        expect(result.signal).toBeNull(); // not killed for outliving its call
        expect(result.code).toBe(0);
        expect(result.elapsedMs).toBeLessThan(exitWithinMs);
        const report = reportOf(result.stderr);
        expect(report).toMatchObject({ version, connected: true, ok: true });
        expect(report.received.dominantHz).toBeCloseTo(expectedHz, -1);
        expect(report.received.toneFraction).toBeGreaterThanOrEqual(0.9);
        // As for loopback: from engine start to the first decoded audio.
        expect(report.setupMs).toBeGreaterThan(0);
        expect(report.setupMs).toBeLessThan(callSeconds * 1000);
      }
    },
    60_000,
  );

  it('exits 1 when the tone it was told to expect does not arrive', async () => {
    const { caller, callee } = await callOverStdio('11.0.0', { callee: ['--expect-hz', '440'] });
    expect(caller.code).toBe(0);
    expect(callee.signal).toBeNull();
    expect(callee.code).toBe(1);
    const report = reportOf(callee.stderr);
    expect(report.connected).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.received.expectedHz).toBe(440);
    expect(report.received.dominantHz).toBeCloseTo(1000, -1); // what the caller did send
  }, 60_000);

  it('sends the --in file and records what it hears into --out', async () => {
    const input = path.join(dir, 'in-800.wav');
    const output = path.join(dir, 'callee-heard.wav');
    fs.writeFileSync(
      input,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(800, 2, 0.5) }),
    );
    const { caller, callee } = await callOverStdio('10.0.0', {
      caller: ['--in', input],
      callee: ['--out', output, '--expect-hz', '800'],
    });
    expect(caller.code).toBe(0);
    expect(callee.code).toBe(0);
    const heard = decodeWav(fs.readFileSync(output));
    expect(heard.sampleRate).toBe(48000);
    expect(heard.samples.length / 48000).toBeGreaterThan(callSeconds - 1);
    const analysis = analyseTone(heard.samples, heard.sampleRate, 800);
    expect(analysis.dominantHz).toBeCloseTo(800, -1);
    expect(analysis.toneFraction).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it.each(['11.0.0', '10.0.0'])(
    'connects two processes over a Unix socket (%s)',
    async (version) => {
      const socket = path.join(dir, `signaling-${version}.sock`);
      const callee = startPeer([...common(version, 'callee'), '--signaling', socket]);
      const caller = startPeer([...common(version, 'caller'), '--signaling', socket]);
      const [calleeResult, callerResult] = await Promise.all([callee.done, caller.done]);
      for (const [result, expectedHz] of [
        [callerResult, 600],
        [calleeResult, 1000],
      ] as const) {
        expect(result.code).toBe(0);
        const report = reportOf(result.stdout);
        expect(report.connected).toBe(true);
        expect(report.ok).toBe(true);
        expect(report.received.dominantHz).toBeCloseTo(expectedHz, -1);
      }
    },
    60_000,
  );

  it('gives up with CALL_CONNECT_TIMEOUT when no caller connects to its socket in time', async () => {
    const socket = path.join(dir, 'nobody.sock');
    const callee = startPeer([
      ...common('11.0.0', 'callee'),
      '--signaling',
      socket,
      '--connect-timeout',
      '1',
    ]);
    const result = await callee.done;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    // The connect timeout and a 5 s margin.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(6000);
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.stderr).toContain('CALL_CONNECT_TIMEOUT');
    expect(result.stderr).toContain(`no caller connected to ${socket}`);
    expect(fs.existsSync(socket)).toBe(false);
  }, 20_000);

  it('exits 1 with the error code, without waiting, when its --in file does not exist', async () => {
    // stdin stays open (nothing writes to it): the peer must not wait on it.
    const peer = startPeer([
      ...common('11.0.0', 'caller'),
      '--signaling',
      '-',
      '--in',
      path.join(dir, 'missing.wav'),
    ]);
    const result = await peer.done;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.elapsedMs).toBeLessThan(5000);
    expect(result.stderr).toContain('MEDIA_FILE_NOT_FOUND');
  });

  it.each([
    ['--role', ['--version', '11.0.0']],
    ['--version', ['--role', 'caller']],
  ])('refuses to start without %s (exit 2, the flag named)', async (flag, given) => {
    const peer = startPeer([...given, '--key', keyFile, '--signaling', '-']);
    const result = await peer.done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${flag} is required`);
    expect(result.stderr).toContain('usage: node-tgcalls');
  });
});
