import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { versions } from '../lib';
import { runLoopbackCall } from '../lib/engine/loopback';
import { makeKeys, startPair, threadCount } from './support/engine-pair';
import { repoRoot } from './support/paths';

const versionsUnderTest = ['11.0.0', '10.0.0'] as const;
const cli = path.join(repoRoot, 'dist', 'cli', 'main.js');

describe('the call engine', () => {
  it('advertises the protocol versions it implements, preferred first', () => {
    expect(versions().protocolVersions).toEqual(['11.0.0', '10.0.0']);
  });

  it.each(versionsUnderTest)(
    'carries a different tone each way in a loopback call (%s)',
    async (version) => {
      const report = await runLoopbackCall({ version, seconds: 3 });
      expect(report.connected).toBe(true);
      expect(report.callerToCallee.dominantHz).toBeCloseTo(1000, -1);
      expect(report.calleeToCaller.dominantHz).toBeCloseTo(600, -1);
      expect(report.callerToCallee.toneFraction).toBeGreaterThanOrEqual(0.95);
      expect(report.calleeToCaller.toneFraction).toBeGreaterThanOrEqual(0.95);
      expect(report.callerToCallee.snrDb).toBeGreaterThan(15);
      expect(report.setupMs).toBeGreaterThan(0);
      expect(report.callerStats.codec).toBe('audio/opus');
    },
  );

  it('makes the loopback command fail when the far side is silent', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-loopback-cli-'));
    const run = (extra: string[]) =>
      promisify(execFile)(process.execPath, [
        cli,
        'loopback',
        '--seconds',
        '2',
        '--out',
        out,
        ...extra,
      ]).then(
        () => 0,
        (error: unknown) => (error as { code?: number }).code ?? -1,
      );
    try {
      expect(await run(['--silent', 'callee'])).toBe(1);
      expect(await run([])).toBe(0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('writes the loopback call report and names it, and the recordings, in --json', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-loopback-cli-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [
        cli,
        'loopback',
        '--seconds',
        '2',
        '--out',
        out,
        '--json',
      ]);
      const report = JSON.parse(stdout) as {
        ok: boolean;
        report: string;
        reportJson: string;
        recordings: string[];
        callerFinalState?: unknown;
      };
      expect(report.ok).toBe(true);
      expect(report.callerFinalState).toBeUndefined();
      expect(report.recordings).toHaveLength(2);
      for (const recording of report.recordings) expect(fs.existsSync(recording)).toBe(true);
      // Sent and heard of both directions, waveform and spectrogram each, and two network plots.
      const html = fs.readFileSync(report.report, 'utf8');
      expect(html.match(/data:image\/png;base64,/g)?.length).toBe(10);
      const figures = JSON.parse(fs.readFileSync(report.reportJson, 'utf8')) as {
        codec: string;
        audio: { title: string; dominantHz?: number }[];
        timeline: unknown[];
        debug: { v: number };
      };
      expect(figures.codec).toBe('audio/opus');
      expect(figures.audio.find((a) => a.title === 'callee heard')?.dominantHz).toBeCloseTo(
        1000,
        -1,
      );
      expect(figures.timeline.length).toBeGreaterThan(0);
      expect(figures.debug.v).toBe(3);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it.each(versionsUnderTest)(
    'still connects when 20 %% of signaling units are lost (%s)',
    async (version) => {
      let seed = 7;
      const pair = startPair({
        version,
        deliveries: () => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed / 2 ** 31 < 0.2 ? 0 : 1;
        },
      });
      try {
        await pair.established;
      } finally {
        await pair.stop();
      }
    },
    60_000,
  );

  it.each(versionsUnderTest)(
    'never connects with a wrong key and fails within the connect timeout (%s)',
    async (version) => {
      const right = makeKeys();
      const wrong = makeKeys();
      const pair = startPair({
        version,
        callerKey: right.callerKey,
        calleeKey: wrong.calleeKey,
        config: { connectTimeoutMs: 2000 },
      });
      const states: string[] = [];
      pair.caller.on('state', (state) => states.push(state));
      pair.callee.on('state', (state) => states.push(state));
      const startedAt = Date.now();
      const failure = await new Promise<Error>((resolve) => pair.caller.on('error', resolve));
      expect(Date.now() - startedAt).toBeLessThan(4000);
      expect(failure).toMatchObject({ name: 'TgCallsError', code: 'CALL_CONNECT_TIMEOUT' });
      const final = await pair.caller.stop();
      await pair.stop();
      right.calleeKey.release();
      wrong.callerKey.release();
      expect(states).not.toContain('established');
      // The stats log ends with the failure, never having been connected.
      const network = (JSON.parse(final.debugJson) as { network: Record<string, unknown>[] })
        .network;
      expect(network.at(-1)).toMatchObject({ c: 0, failed: 1 });
      expect(network.some((record) => record.c === 1)).toBe(false);
    },
  );

  it('returns debug JSON with the stats-log fields of spec §3.8 and no key material', async () => {
    const { callerKey, calleeKey } = makeKeys();
    const keyHex = callerKey.exportBytes().toString('hex');
    const pair = startPair({ version: '11.0.0', callerKey, calleeKey });
    await pair.established;
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const final = await pair.caller.stop();
    expect(await pair.caller.stop()).toBe(final); // stopping twice is harmless
    await pair.stop();

    // json11's formatting: keys sorted, ", " and ": " separators.
    expect(final.debugJson).toMatch(
      /^\{"bitrate": \[\{"b": \d+\}(, \{"b": \d+\})*\], "network": \[/,
    );
    const debug = JSON.parse(final.debugJson) as Record<string, unknown>;
    expect(Object.keys(debug)).toEqual(['bitrate', 'network', 'v']);
    expect(debug.v).toBe(3);

    // One bitrate record a second: the send bandwidth estimate / 1024, an integer.
    const bitrate = debug.bitrate as Record<string, unknown>[];
    expect(bitrate.length).toBeGreaterThanOrEqual(2);
    for (const record of bitrate) {
      expect(Object.keys(record)).toEqual(['b']);
      expect(Number.isInteger(record.b)).toBe(true);
    }
    expect(Math.max(...bitrate.map((record) => record.b as number))).toBeGreaterThan(0);

    const network = debug.network as Record<string, unknown>[];
    expect(network.length).toBeGreaterThanOrEqual(2); // connecting, then connected
    const times = network.map((record) => record.t);
    expect(times[0]).toBe('0');
    for (const [i, record] of network.entries()) {
      const keys = Object.keys(record);
      expect(keys).toEqual([...keys].sort());
      for (const key of keys) expect(['c', 'failed', 'network', 't']).toContain(key);
      expect([0, 1]).toContain(record.c);
      expect(record.failed).toBeUndefined(); // a call that did not fail
      expect(record.t).toMatch(/^\d+$/);
      // Coalesced: records less than 5 ms apart are one.
      if (i > 0) expect(Number(record.t) - Number(times[i - 1])).toBeGreaterThanOrEqual(5);
    }
    expect(network[0]?.c).toBe(0);
    const connected = network.find((record) => record.c === 1);
    // The connected record names the selected pair: WebRTC's candidate types, ip:port.
    const pair0 = connected?.network as Record<string, Record<string, unknown>> | undefined;
    expect(Object.keys(pair0 ?? {})).toEqual(['local', 'remote']);
    for (const side of ['local', 'remote']) {
      const candidate = pair0?.[side] ?? {};
      expect(Object.keys(candidate)).toEqual(['address', 'protocol', 'type']);
      // WebRTC redacts a peer-reflexive remote's IP (redacted-ip.invalid): a host name then.
      expect(candidate.address).toMatch(/^([\w.-]+|\[[0-9a-f:.]+\]):\d{1,5}$/);
      expect(candidate.protocol).toBe('udp');
      expect(['local', 'stun', 'prflx', 'relay']).toContain(candidate.type);
    }
    // Host candidates only (no STUN or TURN given), with their real addresses.
    expect(pair0?.local?.type).toBe('local');
    expect(pair0?.local?.address).toMatch(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\]):\d{1,5}$/);

    expect(final.trafficStats.bytesSent).toBeGreaterThan(0);
    for (let i = 0; i + 16 <= keyHex.length; i += 16) {
      expect(final.debugJson).not.toContain(keyHex.slice(i, i + 16));
    }
  });

  it('leaves thread count and memory near the baseline after 50 sequential calls', async () => {
    const warm = startPair({ version: '11.0.0' });
    await warm.established;
    await warm.stop();
    const baselineThreads = threadCount();
    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    for (let i = 0; i < 50; i++) {
      const pair = startPair({ version: i % 2 ? '10.0.0' : '11.0.0' });
      await pair.established;
      await pair.stop();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(threadCount()).toBeLessThanOrEqual(baselineThreads + 2);
    expect((process.memoryUsage().rss - baselineRss) / 2 ** 20).toBeLessThan(60);
  }, 120_000);
});
