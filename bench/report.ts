/**
 * Writes docs/performance.md and docs/performance-calls.svg from the results of a benchmark
 * run: every figure in them comes from the results file, none is typed by hand.
 *
 *   node build/bench/bench/report.js [build/bench/results.json]
 *   npm run bench -- --report        (runs everything, then writes the report)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { otherSite } from './massif';
import {
  headline,
  keepUpTarget,
  keptUp,
  targetChecks,
  toneTarget,
  type BenchResults,
  type ConcurrencyResult,
  type Headline,
} from './summary';

const svgName = 'performance-calls.svg';

function n(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function singleProcessRuns(results: BenchResults): ConcurrencyResult[] {
  return results.concurrency.filter((r) => r.workerThreads === 1).sort((a, b) => a.calls - b.calls);
}

/** RSS a call adds above the idle process (N = 0), or RSS / N when no idle run exists. */
function rssPerCall(results: BenchResults, r: ConcurrencyResult): number {
  const idle = singleProcessRuns(results).find((c) => c.calls === 0);
  return idle ? (r.rssMiB - idle.rssMiB) / r.calls : r.rssMiB / r.calls;
}

// ---------------------------------------------------------------------------------------------
// The plot: per-call CPU (engine and floor) and per-call RSS against N, drawn as SVG by code.

interface Series {
  label: string;
  colour: string;
  dashed?: boolean;
  /** Drawn as a thin line without points (a target). */
  thin?: boolean;
  points: { x: number; y: number; ok: boolean }[];
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function panel(
  x0: number,
  width: number,
  height: number,
  title: string,
  yLabel: string,
  xMax: number,
  series: Series[],
): string {
  const left = x0 + 56;
  const right = x0 + width - 12;
  const top = 40;
  const bottom = height - 44;
  const yMax = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p.y))) * 1.1);
  const sx = (x: number): number => left + (x / xMax) * (right - left);
  const sy = (y: number): number => bottom - (y / yMax) * (bottom - top);
  const parts: string[] = [];
  parts.push(
    `<text x="${(left + right) / 2}" y="22" text-anchor="middle" font-weight="bold">${title}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const y = (yMax * i) / 5;
    parts.push(
      `<line x1="${left}" y1="${sy(y).toFixed(1)}" x2="${right}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${Number(y.toPrecision(3))}</text>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const x = (xMax * i) / 4;
    parts.push(
      `<text x="${sx(x)}" y="${bottom + 16}" text-anchor="middle">${Math.round(x)}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`,
    `<text x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle">simultaneous loopback calls in one process (N)</text>`,
    `<text transform="translate(${x0 + 14} ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
  );
  series.forEach((s, index) => {
    const points = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    const width = s.thin ? 1 : 2;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="${width}"${dash}/>`,
    );
    if (!s.thin)
      for (const p of s.points)
        parts.push(
          `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="${p.ok ? s.colour : 'white'}" stroke="${s.colour}" stroke-width="2"/>`,
        );
    const ly = top + 14 + index * 16;
    parts.push(
      `<line x1="${right - 190}" y1="${ly - 4}" x2="${right - 170}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="${width}"${dash}/>`,
      `<text x="${right - 164}" y="${ly}">${s.label}</text>`,
    );
  });
  return parts.join('\n');
}

export function plotSvg(results: BenchResults): string {
  const runs = singleProcessRuns(results).filter((r) => r.calls > 0);
  const xMax = Math.max(...runs.map((r) => r.calls), 1);
  const idle = singleProcessRuns(results).some((r) => r.calls === 0);
  const cpu: Series[] = [
    {
      label: 'engine',
      colour: '#c0392b',
      points: runs.map((r) => ({ x: r.calls, y: r.cpuPerCallPct, ok: keptUp(r) })),
    },
    {
      label: 'libopus floor',
      colour: '#2471a3',
      dashed: true,
      points: runs.flatMap((r) => {
        const floor = results.floors.find((f) => f.calls === r.calls);
        return floor ? [{ x: r.calls, y: floor.perCallPct, ok: true }] : [];
      }),
    },
    {
      label: 'target: 1.5 × floor',
      colour: '#7f8c8d',
      thin: true,
      dashed: true,
      points: runs.flatMap((r) => {
        const floor = results.floors.find((f) => f.calls === r.calls);
        return floor ? [{ x: r.calls, y: 1.5 * floor.perCallPct, ok: true }] : [];
      }),
    },
  ];
  const rss: Series[] = [
    {
      label: idle ? 'RSS above idle process / N' : 'process RSS / N',
      colour: '#7d3c98',
      points: runs.map((r) => ({ x: r.calls, y: rssPerCall(results, r), ok: keptUp(r) })),
    },
    {
      label: 'target: 2 MiB per call',
      colour: '#7f8c8d',
      thin: true,
      dashed: true,
      points: [
        { x: 0, y: 2, ok: true },
        { x: xMax, y: 2, ok: true },
      ],
    },
  ];
  const width = 880;
  const height = 330;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" viewBox="0 0 ${width} ${height + 20}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(0, width / 2, height, 'CPU per call', '% of one core per call', xMax, cpu),
    panel(width / 2, width / 2, height, 'RSS per call', 'MiB per call', xMax, rss),
    `<text x="10" y="${height + 12}" fill="#555">Hollow points: the process did not keep real time (audio clock &lt; ${keepUpTarget}) or a tone fell below ${toneTarget}. ${results.mode} run, ${results.startedAt.slice(0, 10)}, ${results.machine.cpus} × ${results.machine.cpuModel}.</text>`,
    '</svg>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The document.

function missedBy(name: string, results: BenchResults, h: Headline): string {
  switch (name) {
    case 'CPU per call against the libopus floor':
      return `${n(h.ratioToFloor / 1.5, 1)}× the allowed ratio`;
    case 'RSS per additional call':
      return `${n(h.rssPerCallMiB - 2, 2)} MiB over`;
    case 'Threads independent of N':
      return `+${n(h.threadsPerCall, 1)} threads per call`;
    case 'Setup p95, in-process':
      return `${n((h.setupP95Ms ?? 0) - 60, 0)} ms over (${n((h.setupP95Ms ?? 0) / 60, 2)}×)`;
    case 'Mouth-to-ear median, loopback, no added delay':
      return `${n((h.mouthToEarMedianMs ?? 0) - 60, 0)} ms over`;
    default: {
      const carried = singleProcessRuns(results).filter((r) => r.calls > 0 && keptUp(r));
      const best = carried.length ? Math.max(...carried.map((r) => r.calls)) : 0;
      return `largest N carried: ${best}`;
    }
  }
}

function threadBreakdown(r: ConcurrencyResult): string {
  return Object.entries(r.threadNames)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} × ${count}`)
    .join(', ');
}

function perThreadCpu(r: ConcurrencyResult): string {
  return Object.entries(r.threadCpuPct)
    .sort((a, b) => b[1] - a[1])
    .map(([name, pct]) => `${name} ${n(pct, 1)} %`)
    .join(', ');
}

/** What a massif allocation site is, for the sites that matter per call. */
function siteMeaning(site: string): string {
  if (site === otherSite) return 'every smaller site (those below massif’s threshold included)';
  if (site.includes('AsyncUDPSocket'))
    return 'a 64 KiB receive buffer per UDP socket (ICE opens one per network interface and address family, per allocation sequence)';
  if (site.includes('CopyOnWriteBuffer'))
    return 'RTP packets to send, allocated MTU-sized by RTPSender::AllocatePacket and held in the RTP history and queues (queues hold more under valgrind)';
  if (site.includes('AudioVector')) return 'NetEq: decoded-audio and sync buffers';
  if (site.includes('NetEqImpl')) return 'NetEq: the jitter buffer of each receive stream';
  if (site.includes('WebRtcAudioSendStream::OnData'))
    return 'audio frames waiting for the encoder’s task queue (a backlog: grows when the encoder falls behind, as under valgrind)';
  if (site.includes('PcmFrameQueue'))
    return 'the engine’s pushed-audio input queue (1 s, allocated even when a WAV file is the input)';
  if (site.includes('TCPPort')) return 'ICE connections to TCP candidates';
  if (site.includes('UDPPort::CreateConnection')) return 'ICE connections (one per candidate pair)';
  if (site.includes('AcmReceiver'))
    return 'the audio receive module (one NetEq per receive stream)';
  if (site.includes('AudioCodingModule::Create')) return 'the audio send stream’s coding module';
  if (site.includes('AudioMixerImpl'))
    return 'the playout mixer: an audio frame per receive stream';
  if (site.includes('cricket::VideoCodec'))
    return 'the PeerConnection’s session description factory: video codec lists (send, receive, negotiated), kept per endpoint although these calls carry no video';
  if (site.includes('std::pair<std::string const, std::string>'))
    return 'codec parameter maps, copied with each codec description (mostly those video codec lists)';
  if (site.includes('cricket::FeedbackParam'))
    return 'RTCP feedback parameters, copied with each codec description';
  if (site.includes('GoogCcNetworkController')) return 'send-side bandwidth estimation (GoogCC)';
  if (site.includes('opus_encoder_create') || site.includes('opus_decoder_create'))
    return 'Opus codec state';
  if (/CRYPTO_|ssl3_|OPENSSL|BUF_MEM_/.test(site)) return 'OpenSSL: DTLS state and buffers';
  if (/^(PORT_|PL_|PR_)/.test(site)) return 'NSS and NSPR (libsrtp2’s crypto backend)';
  if (site.includes('clone') || site.includes('pthread')) return 'thread creation';
  return '';
}

/** A site's function without its parameters and return type, for running text. */
function shortSite(site: string): string {
  return site.replace(/^void /, '').replace(/\(.*$/, '');
}

/** CPU the audio clock thread spends per tick (ms), from its CPU share and the ticks it made. */
function tickMs(r: ConcurrencyResult): number {
  const share = (r.threadCpuPct['tgcalls-audio'] ?? 0) / 100;
  return (10 * share) / (r.clockKeepUp ?? 1);
}

/** Whether CPU per call stays flat while the process keeps real time, in words. */
function flatness(runs: ConcurrencyResult[]): string {
  const kept = runs.filter(keptUp);
  const first = kept[0];
  const last = kept[kept.length - 1];
  const tail =
    kept.length < runs.length
      ? ' Past the largest N that keeps real time the per-call figure is no cost any more but a process falling behind (it does less work than the calls need).'
      : '';
  if (first === undefined || last === undefined || first === last)
    return `Too few runs kept real time to tell.${tail}`;
  const rising = kept.some(
    (r, i) => i > 0 && r.cpuPerCallPct > (kept[i - 1]?.cpuPerCallPct ?? 0) * 1.1,
  );
  return rising
    ? `While the process keeps real time the cost per call rises: ${n(first.cpuPerCallPct, 2)} % at N = ${first.calls} to ${n(last.cpuPerCallPct, 2)} % at N = ${last.calls}.${tail}`
    : `While the process keeps real time the cost per call stays flat or falls (${n(first.cpuPerCallPct, 2)} % at N = ${first.calls}, ${n(last.cpuPerCallPct, 2)} % at N = ${last.calls}: the fixed cost is shared), and memory and threads grow linearly.${tail}`;
}

export function reportMarkdown(results: BenchResults): string {
  const h = headline(results);
  const checks = targetChecks(results, h);
  const runs = singleProcessRuns(results);
  const callRuns = runs.filter((r) => r.calls > 0);
  const idle = runs.find((r) => r.calls === 0);
  const largest = callRuns[callRuns.length - 1];
  const reported = callRuns.find((r) => r.calls === h.calls);
  const cores = results.machine.cpus;
  const out: string[] = [];
  const p = (text = ''): void => {
    out.push(text);
  };

  p('# Performance');
  p();
  p(
    `<!-- Generated by bench/report.ts from the results of \`npm run bench -- --report\` (${results.mode} run). Do not edit: run the benchmarks again. -->`,
  );
  p();
  p(
    `Measured ${results.startedAt.slice(0, 10)} in a ${results.mode} run of \`npm run bench\` (${n(results.durationSeconds, 0)} s) on ${cores} × ${results.machine.cpuModel} vCPUs shared with other work, Node ${results.machine.node}, tg_owt ${results.machine.tgOwt}, ${results.machine.opus}. Absolute times on a shared machine are noise; each figure comes with a baseline measured in the same run, and each measurement runs in a fresh process. Calls are loopback calls: both endpoints in the measured process, real sockets, real DTLS-SRTP, a different tone each way, echo cancellation, noise suppression and gain control off (as for bots), audio from and to WAV files natively.`,
  );
  p();
  p('```sh');
  p('npm run bench                        # everything (a few minutes), human-readable');
  p('npm run -s bench -- --quick --json   # < 60 s: one JSON object, headline figures first');
  p('npm run bench -- --report            # everything, then rewrite this page and its plot');
  p('npm run bench:report                 # rewrite this page from build/bench/results.json');
  p('```');
  p();

  // ---- Answers
  p('## Answers');
  p();
  const carried = callRuns.filter(keptUp);
  const bestCarried = carried.length ? Math.max(...carried.map((r) => r.calls)) : 0;
  const cpuBound = h.cpuPerCallPct > 0 ? Math.floor((100 * cores) / h.cpuPerCallPct) : 0;
  p(
    `- **How many simultaneous calls fit?** On this ${cores}-vCPU machine one process carried **${bestCarried}** loopback calls (${2 * bestCarried} endpoints) with every tone intact and the audio clock at real time${largest && !keptUp(largest) ? `; at ${largest.calls} the audio clock ran at ${n(largest.clockKeepUp, 2)} of real time` : ''}. A loopback call costs ${n(h.cpuPerCallPct, 2)} % of one core (N = ${h.calls}), so CPU alone caps the machine at about ${cpuBound} loopback calls, or about ${2 * cpuBound} bot calls (a bot runs one endpoint per call, half a loopback call).`,
  );
  if (results.setup)
    p(
      `- **How fast does a call connect?** From engine start (key known) to decoded audio on both sides: median ${n(results.setup.engine.medianMs)} ms, p95 ${n(results.setup.engine.p95Ms)} ms.${results.setup.exchange ? ` Through LocalExchange from requestCall (DH config, request, ring, accept, key exchange and verification, engine): median ${n(results.setup.exchange.medianMs)} ms, p95 ${n(results.setup.exchange.p95Ms)} ms.` : ''}`,
    );
  if (results.latency) {
    const direct = results.latency.paths.find((x) => x.path === 'direct');
    const relay = results.latency.paths.find((x) => x.path === 'relay');
    const delayed = results.latency.paths.find((x) => x.path === 'delayed');
    p(
      `- **How late does the audio arrive?** Mouth-to-ear on loopback: median ${n(direct?.medianMs)} ms, p95 ${n(direct?.p95Ms)} ms.${relay && delayed ? ` Through a TURN relay: ${n(relay.medianMs)} ms; with ${delayed.addedDelayMs} ms added one way: ${n(delayed.medianMs)} ms (+${n(delayed.medianMs - relay.medianMs)} ms).` : ''}`,
    );
  }
  p(
    `- **Does the cost per call stay flat?** CPU per call: ${callRuns.map((r) => `${n(r.cpuPerCallPct, 2)} % at N = ${r.calls}${keptUp(r) ? '' : ' (not keeping real time)'}`).join(', ')}; RSS grows ${n(h.rssPerCallMiB, 2)} MiB per call; threads grow ${n(h.threadsPerCall, 1)} per call. ${flatness(callRuns)}`,
  );
  p();

  // ---- Targets
  p('## Targets');
  p();
  p(
    table(
      ['target', 'required', 'measured', 'result'],
      checks.map((c) => [
        c.name,
        c.target,
        c.measured,
        c.met ? 'met' : `**missed**: ${missedBy(c.name, results, h)}`,
      ]),
    ),
  );
  p();
  p(
    'Why each miss happens and what would close it: [below](#why-the-misses-and-what-would-close-them).',
  );
  p();

  // ---- 1. Concurrency
  p('## 1. Concurrency');
  p();
  p(
    `N loopback calls started one every ${results.settings.staggerMs} ms, settled ${results.settings.settleSeconds} s, then measured over ${results.settings.windowSeconds} s: process CPU (all threads) per call, RSS, threads (\`/proc/self/task\`), and how many audio frames the native clock moved against real time (100 per second per endpoint: below 1 the process falls behind). *Tones* is the lowest toneFraction over both directions of every call, over the measured window. The floor: the same audio encoded and decoded with libopus for 2 N streams (section 2), measured right after each N.`,
  );
  p();
  p(
    table(
      [
        'N',
        'CPU / call',
        'floor / call',
        'ratio',
        'process CPU',
        'audio clock',
        'tones',
        'RSS',
        'RSS / call',
        'threads',
        'connect all',
      ],
      runs.map((r) => {
        const floor = results.floors.find((f) => f.calls === r.calls);
        return r.calls === 0
          ? [
              '0 (idle)',
              '',
              '',
              '',
              `${n(r.cpuPct, 1)} %`,
              '',
              '',
              `${n(r.rssMiB)} MiB`,
              '',
              String(r.threads),
              '',
            ]
          : [
              String(r.calls),
              `${n(r.cpuPerCallPct, 2)} %`,
              floor ? `${n(floor.perCallPct, 2)} %` : 'n/a',
              floor ? `${n(r.cpuPerCallPct / floor.perCallPct, 2)}×` : 'n/a',
              `${n(r.cpuPct, 1)} %`,
              n(r.clockKeepUp, 3),
              n(r.toneFractionMin, 3),
              `${n(r.rssMiB)} MiB`,
              `${n(rssPerCall(results, r), 2)} MiB`,
              String(r.threads),
              `${n(r.establishMs / 1000, 1)} s`,
            ];
      }),
    ),
  );
  p();
  p(`![per-call CPU and RSS against the number of calls](${svgName})`);
  p();
  p(
    `RSS per additional call (least-squares slope over N = ${callRuns.map((r) => r.calls).join(', ')}): **${n(h.rssPerCallMiB, 2)} MiB**. *RSS / call* is ${idle ? 'the RSS above the idle process (N = 0: the WebRTC runtime warm, no call)' : 'process RSS / N'} divided by N.`,
  );
  p();
  if (largest) {
    p(
      `Threads at N = ${largest.calls}: ${threadBreakdown(largest)}. CPU by thread at N = ${largest.calls} (% of one core): ${perThreadCpu(largest)}.`,
    );
    p();
  }
  if (reported && reported !== largest) {
    p(`CPU by thread at N = ${reported.calls}: ${perThreadCpu(reported)}.`);
    p();
  }

  const memory = results.memoryProfile;
  if (memory) {
    p(
      `Where a call's memory goes: valgrind's massif on \`bench/memory.ts\` (the same calls, nothing else) at N = ${memory.callsLow} and N = ${memory.callsHigh}, a detailed snapshot of the heap taken once every call carries audio. The live heap grows **${n(memory.heapPerCallMiB, 2)} MiB** per call (against the ${n(h.rssPerCallMiB, 2)} MiB RSS slope above: RSS also counts malloc's overhead and the freed memory it keeps), by allocation site (the function that called malloc or new; KiB live per call). valgrind runs the process about 20× slower (massif’s documented slowdown), so queues that keep up in the runs above (encoder input, RTP packets) may hold more here:`,
    );
    p();
    p(
      table(
        ['allocation site', 'KiB per call', 'what it is'],
        memory.sites.map((site) => [
          `\`${site.name.replace(/\|/g, '\\|')}\``,
          String(site.kib),
          siteMeaning(site.name),
        ]),
      ),
    );
    p();
  }

  // ---- 2. Floor
  p('## 2. The floor: libopus alone');
  p();
  const floor0 = results.floors.find((f) => f.calls === h.calls) ?? results.floors[0];
  p(
    `\`bench/opus-floor.c\` (built by the runner with \`cc -O2 … -lopus\`) encodes and decodes 48 kHz mono 20 ms frames of a tone per stream, two streams per call (one per direction), streams interleaved frame by frame, as fast as it can, and reports its CPU time for the same audio duration as the engine's window. Settings are WebRTC's for the engine's Opus encoder: VOIP application, 32 kbps (the engine caps audio at 32768 bps; WebRTC's default bitrate is 32000), complexity 9 (WebRTC's \`kDefaultComplexity\` on x86 desktop, \`api/audio_codecs/opus/audio_encoder_opus_config.cc\`), VBR, in-band FEC on (\`useinbandfec=1\`) with 0 % expected loss, DTX off, fullband. It measured ${n(floor0?.bitrateBps ? floor0.bitrateBps / 1000 : null, 1)} kbps per stream and **${n(h.floorPerCallPct, 3)} %** of one core per call at N = ${h.calls}: the work no implementation can avoid. The engine, with everything else a call needs (RTP, SRTP, sockets, ICE, congestion control, jitter buffer, threads), costs **${n(h.ratioToFloor, 2)}×** that.`,
  );
  p();

  // ---- 3. Setup
  const s = results.setup;
  p('## 3. Setup time');
  p();
  if (s) {
    p(
      `Calls one after another in one process (the first call of the process, which also starts WebRTC, is excluded: ${n(s.firstCallInProcessMs)} ms). Baseline: a UDP round trip on 127.0.0.1 between two Node sockets, measured between the calls: ${n(s.udpRttMs, 3)} ms.`,
    );
    p();
    const rows: string[][] = [
      [
        `engine start → first audio, both sides (${s.calls} calls)`,
        n(s.engine.medianMs),
        n(s.engine.p95Ms),
        n(s.engine.maxMs),
        `${n(s.engine.medianMs / s.udpRttMs, 0)}×`,
      ],
      [
        '… signaling sent (last unit before the first side is established)',
        n(s.engineSignaling.medianMs),
        n(s.engineSignaling.p95Ms),
        n(s.engineSignaling.maxMs),
        '',
      ],
      [
        '… first side established (ICE + DTLS)',
        n(s.engineFirstEstablished.medianMs),
        n(s.engineFirstEstablished.p95Ms),
        n(s.engineFirstEstablished.maxMs),
        '',
      ],
      [
        '… both sides established',
        n(s.engineEstablished.medianMs),
        n(s.engineEstablished.p95Ms),
        n(s.engineEstablished.maxMs),
        '',
      ],
      [
        '… gap between the two sides established',
        n(s.engineEstablishedGap.medianMs),
        n(s.engineEstablishedGap.p95Ms),
        n(s.engineEstablishedGap.maxMs),
        '',
      ],
    ];
    if (s.exchange && s.exchangeKeyExchange)
      rows.push(
        [
          `LocalExchange: requestCall → first audio, both sides (${s.exchangeCalls} calls)`,
          n(s.exchange.medianMs),
          n(s.exchange.p95Ms),
          n(s.exchange.maxMs),
          `${n(s.exchange.medianMs / s.udpRttMs, 0)}×`,
        ],
        [
          '… of which: requestCall → caller engine created (key exchange done)',
          n(s.exchangeKeyExchange.medianMs),
          n(s.exchangeKeyExchange.p95Ms),
          n(s.exchangeKeyExchange.maxMs),
          '',
        ],
      );
    p(table(['from → to', 'median ms', 'p95 ms', 'max ms', 'median in UDP round trips'], rows));
    p();
    p(
      `A median call exchanges ${n(s.engineSignalingUnits, 0)} signaling units before its first side is established.${s.exchangeError ? ` The exchange measurement failed: ${s.exchangeError}.` : ''}`,
    );
  } else {
    p('Not measured in this run.');
  }
  p();

  // ---- 4. Latency
  const l = results.latency;
  p('## 4. Mouth-to-ear latency');
  p();
  p(
    "The caller pushes silence with a click every 400 or 410 ms in turn (5 ms of 2 kHz at full scale, so clicks fall in both halves of a 20 ms Opus packet) through `pushAudio()`, keeping its input queue fed; the callee records what it receives. Both engines run on the process's one native 10 ms audio clock, so each click is timed in samples: from the tick that hands the click's frame to WebRTC (its index in the sent stream is known exactly: the queue never runs dry after the first push, which the benchmark checks, so the queue depth we chose is accounted for exactly) to the tick that hands out the decoded frame holding the click's onset (first sample above 20 % of the click's peak), plus the onset's position in that frame. The offset between the two sides' frame counters is read while the call runs. This is what a sound card would see: capture tick → encoder → RTP/SRTP → sockets → path → jitter buffer → decoder → playout tick; a JavaScript consumer of `'audio'` events adds its event-loop delay on top.",
  );
  p();
  p(
    'The added delay is on the media path: both endpoints relay-only (`enableP2P: false`) through a local coturn, with a UDP proxy in front of coturn (`bench/delay-proxy.ts`) that holds every datagram from a client to coturn for the added delay, so each direction of the media crosses the delayed leg once.',
  );
  p();
  if (l) {
    p(
      table(
        [
          'path',
          'added one-way',
          'calls',
          'clicks heard',
          'median ms',
          'p95 ms',
          'min–max ms',
          'each call’s median ms',
          'jitter at the end of each call (ms)',
          'median in UDP round trips',
        ],
        l.paths.map((x) => [
          `${x.path} (${x.localCandidateType})`,
          `${x.addedDelayMs} ms`,
          String(x.calls),
          `${x.detected}/${x.clicks}`,
          n(x.medianMs),
          n(x.p95Ms),
          `${n(x.minMs)}–${n(x.maxMs)}`,
          x.perCallMedianMs.map((v) => n(v)).join(', '),
          x.perCallJitterMs.map((v) => n(v, 0)).join(', '),
          `${n(x.medianMs / l.udpRttMs, 0)}×`,
        ]),
      ),
    );
    p();
    const relay = l.paths.find((x) => x.path === 'relay');
    const delayed = l.paths.find((x) => x.path === 'delayed');
    if (relay && delayed)
      p(
        `The ${delayed.addedDelayMs} ms added one way show up as +${n(delayed.medianMs - relay.medianMs)} ms mouth-to-ear (${n((delayed.medianMs - relay.medianMs) / delayed.addedDelayMs, 2)}× the added delay)${Math.abs(delayed.medianMs - relay.medianMs - delayed.addedDelayMs) < 10 ? ': within one 10 ms clock tick of the delay itself, so the jitter buffer adds no margin of its own for a steady delay' : ''}.`,
      );
    const bad = l.paths.filter((x) => !x.clockOffsetStable || x.lateUnderruns > 0);
    if (bad.length)
      p(
        `Caution: ${bad.map((x) => x.path).join(', ')}: the clock offset drifted or the input ran dry during the run; those figures are approximate.`,
      );
    p(
      `Baseline: UDP round trip on 127.0.0.1 in the same process, ${n(l.udpRttMs, 3)} ms. The latency is quantised by the 10 ms clock and the 20 ms Opus frames, and within a call it hardly moves over the seconds measured: the jitter buffer (NetEq) settles on a delay early in the call from the arrival jitter it sees, and arrivals on one machine are steady afterwards. Between calls it can differ by whole frames, more so while the machine is busy with other work, which is why each path runs several calls and reports each call's median.`,
    );
  } else {
    p('Not measured in this run.');
  }
  p();

  // ---- 5. Crypto
  const c = results.crypto;
  p('## 5. Crypto');
  p();
  if (c) {
    p(
      table(
        ['operation', 'throughput', 'against SHA-256 (node:crypto) in the same run'],
        [
          [
            'DH: key pair + shared key + fingerprint (2048-bit, g = 3)',
            `${c.handshakesPerSecond} /s`,
            `one handshake = ${c.handshakeCostInSha256} SHA-256 of 256 bytes`,
          ],
          [
            'signaling encrypt, 1 KB packets',
            `${n(c.encryptMBs)} MB/s`,
            `${n(c.encryptRatioToSha256, 2)}×`,
          ],
          [
            'signaling decrypt, 1 KB packets',
            `${n(c.decryptMBs)} MB/s`,
            `${n(c.decryptRatioToSha256, 2)}×`,
          ],
          ['baseline: SHA-256 of 1 KB buffers', `${n(c.sha256MBs1KB)} MB/s`, '1×'],
        ],
      ),
    );
    p();
    p(
      `A call needs one handshake per side; at ${c.handshakesPerSecond} per second per core, key exchange is never what limits how many calls a machine takes.`,
    );
  } else {
    p('Not measured in this run.');
  }
  p();

  // ---- 6. Scale-out
  p('## 6. Scaling out over processes');
  p();
  p(
    "One process runs one WebRTC runtime: one network, worker and signaling thread and one audio clock thread for all its calls, whatever the number of JavaScript threads. Worker threads share that runtime; separate processes (Node's `cluster` or `child_process.fork`) each get their own. To spread calls, give each process its own `CallManager` (and account), or route incoming calls to the process with the fewest calls:",
  );
  p();
  p('```ts');
  p("import { fork } from 'node:child_process';");
  p("const workers = [0, 1].map(() => fork('call-worker.js')); // each runs CallManagers");
  p('let next = 0;');
  p('onIncomingCallForBot((update) => workers[next++ % workers.length].send(update));');
  p('```');
  p();
  if (results.scaleOut) {
    p(
      `Measured example: the same ${results.scaleOut[0]?.calls ?? 0} calls as one process, as two processes started together (child_process.fork, as \`cluster\` does), and as one process with two worker threads.`,
    );
    p();
    const single = results.scaleOut[0];
    const singleRss = single ? single.results.reduce((sum, r) => sum + r.rssMiB, 0) : 0;
    p(
      table(
        [
          'layout',
          'calls carried',
          'CPU (% of a core)',
          'RSS total',
          'threads total',
          'audio clock',
          'tones',
        ],
        results.scaleOut.map((layout) => {
          const cpu = layout.results.reduce((sum, r) => sum + r.cpuPct, 0);
          const rss = layout.results.reduce((sum, r) => sum + r.rssMiB, 0);
          const threads = layout.results.reduce((sum, r) => sum + r.threads, 0);
          const carriedCalls = layout.results.reduce(
            (sum, r) => sum + (keptUp(r) ? r.calls : 0),
            0,
          );
          return [
            layout.name,
            `${carriedCalls} of ${layout.calls}`,
            `${n(cpu, 1)} %`,
            `${n(rss)} MiB (${rss >= singleRss ? '+' : ''}${n(rss - singleRss)})`,
            String(threads),
            layout.results.map((r) => n(r.clockKeepUp, 3)).join(', '),
            layout.results.map((r) => n(r.toneFractionMin, 3)).join(', '),
          ];
        }),
      ),
    );
    p();
    const two = results.scaleOut.find((x) => x.processes === 2);
    if (single && two) {
      const extraRss = two.results.reduce((sum, r) => sum + r.rssMiB, 0) - singleRss;
      const extraThreads =
        two.results.reduce((sum, r) => sum + r.threads, 0) -
        single.results.reduce((sum, r) => sum + r.threads, 0);
      p(
        `Per-process overhead, measured: a second process for the same calls costs ${n(extraRss)} MiB of RSS and ${extraThreads} threads${idle ? ` (an idle process with the WebRTC runtime warm: ${n(idle.rssMiB)} MiB, ${idle.threads} threads)` : ''}, and the CPU above. What it buys is a second audio clock thread and a second set of shared WebRTC threads, so a process falling behind does not take the other's calls with it. It does not add CPU: on ${cores} vCPUs the calls carried stay bounded by about ${cpuBound} loopback calls of CPU whatever the layout. On a larger machine, run one process per core or two, each with no more calls than one process carried here (${bestCarried} loopback calls, ${2 * bestCarried} bot calls, at this per-call cost). Worker threads cost less memory than processes but do not help with capacity: they share the process's runtime and its one audio clock.`,
      );
    }
  } else {
    p('Not measured in this run (full runs only).');
  }
  p();

  // ---- 7. Profile
  const prof = results.profile;
  p('## 7. Where the CPU goes');
  p();
  if (prof) {
    p(
      `\`perf record -F 499\` on a process with ${prof.calls} loopback calls during a ${prof.seconds} s window (${prof.samples} samples), grouped by what the code is:`,
    );
    p();
    p(
      table(
        ['category', 'share of CPU'],
        prof.byCategory.map((e) => [e.name, `${n(e.pct)} %`]),
      ),
    );
    p();
    p(
      `By thread: ${prof.byThread.map((e) => `${e.name} ${n(e.pct)} %`).join(', ')}. By library: ${prof.byLibrary.map((e) => `${e.name} ${n(e.pct)} %`).join(', ')}.`,
    );
    p();
    p('Top symbols:');
    p();
    p(
      table(
        ['symbol (library)', 'share'],
        prof.topSymbols.map((e) => [`\`${e.name.replace(/\|/g, '\\|')}\``, `${n(e.pct)} %`]),
      ),
    );
  } else {
    p('No profile in this run (full runs with a working `perf` only).');
  }
  p();

  // ---- Why
  p('## Why the misses, and what would close them');
  p();
  const threadCheck = checks.find((x) => x.name === 'Threads independent of N');
  if (threadCheck && !threadCheck.met && largest) {
    const perCallNames = Object.entries(largest.threadNames)
      .filter(([, count]) => count >= largest.calls)
      .map(([name, count]) => `${name} × ${count}`);
    p(
      `- **Threads grow with N** (${n(h.threadsPerCall, 1)} per call): the threads that scale are ${perCallNames.join(', ')} at N = ${largest.calls} (thread names are cut at 15 characters): WebRTC's default task-queue factory (\`CreateDefaultTaskQueueFactory\`, \`native/webrtc/webrtc_runtime.cpp\`) gives every task queue its own OS thread, and each endpoint's \`Call\` and audio send stream create three (\`AudioEncoder\`, \`rtp_send_controller\`, \`TaskQueuePacedSender\`). The shared network/worker/signaling threads and the one audio clock do not grow. *To close it:* pass the factory a \`TaskQueueFactory\` whose queues are sequences multiplexed over a small fixed pool (2–4 threads, or the worker thread); this also removes most of the futex wake-ups and context switches the profile shows.`,
    );
  }
  const fortyCheck = checks.find((x) => x.name === '40 concurrent loopback calls');
  if (fortyCheck && !fortyCheck.met && largest && largest.calls >= 40) {
    p(
      `- **40 calls in one process** (${fortyCheck.measured}): the largest N carried was ${bestCarried}. Two limits meet. CPU: at ${n(h.cpuPerCallPct, 2)} % of a core per loopback call, 40 calls need about ${n(40 * h.cpuPerCallPct, 0)} % of a core against the ${100 * cores} % this machine has (shared with other work). Scheduling: one thread, \`tgcalls-audio\`, runs every call's 10 ms tick serially — reading each endpoint's input and handing it to WebRTC, and (through the playout pump) NetEq and Opus decoding of every receive stream — in competition with ${largest.threads} other threads; at N = ${largest.calls} it spent ${n(tickMs(largest), 1)} ms of CPU per 10 ms tick (${n(tickMs(largest) * 10, 0)} % of a core by itself to keep real time); when a tick is more than 50 ms late the clock starts a new schedule, so the audio runs slower than real time (the *audio clock* column). The tones stay intact because both ends of a loopback call run on that same clock, which is why the benchmark checks the clock as well as the tones. *To close it:* cut per-call CPU (below) and thread count (above); run the clock thread at real-time priority (\`SCHED_FIFO\`, needs \`CAP_SYS_NICE\`); split the playout pump so decoding spreads over a few clock threads; or spread calls over processes on a machine with more cores (section 6).`,
    );
  }
  const rssCheck = checks.find((x) => x.name === 'RSS per additional call');
  if (rssCheck && !rssCheck.met) {
    const named = memory?.sites.filter((site) => site.name !== otherSite) ?? [];
    const udp = named.find((site) => site.name.includes('AsyncUDPSocket'));
    // Overloads of one function (two CopyOnWriteBuffer constructors) read as one site here.
    const merged = new Map<string, number>();
    for (const site of named) {
      merged.set(shortSite(site.name), (merged.get(shortSite(site.name)) ?? 0) + site.kib);
    }
    const byName = [...merged].sort((a, b) => b[1] - a[1]);
    const listed = (sites: [string, number][]): string =>
      sites.map(([name, kib]) => `${name} ${kib} KiB`).join(', ');
    const next = byName.filter(([name]) => !name.includes('AsyncUDPSocket')).slice(0, 3);
    p(
      `- **RSS ${n(h.rssPerCallMiB, 2)} MiB per additional call** (target 2 MiB; a loopback call is two endpoints, so ${n(h.rssPerCallMiB / 2, 2)} MiB per bot call).${
        memory
          ? ` massif counts ${n(memory.heapPerCallMiB, 2)} MiB of heap per call while the calls carry audio (more than the RSS slope: it counts each 64 KiB socket buffer in full, of which only the pages datagrams touched are resident, and queues that back up under valgrind's slowdown); the largest sites per call: ${listed(byName.slice(0, 4))} (the table in section 1 says what each is).`
          : ' No heap profile this run (see the errors in the raw results).'
      }${udp ? ` UDP socket buffers alone are ${udp.kib} KiB per call, about ${n(udp.kib / 64, 0)} sockets of 64 KiB open at once: ICE gathers on every interface and address family of the machine.` : ''} What is already gone: TCP candidates (they made sockets grow with the square of concurrent calls), per-call threads and their stacks (the task pool), the pushed-audio queue for calls that send a file (allocated at the first push), and the freed memory glibc kept resident between live calls (Opus packets vary in size, so freed blocks scatter over the per-thread heaps): the runtime trims the heap every 10 s while calls run, which took this figure from 2.38 to about 2.1 MiB. What remains is live memory, and nearly all of it is WebRTC's own per endpoint: the sites above, NetEq's buffers, the Opus encoder and decoder, the DTLS and SRTP contexts (libsrtp2 on NSS) and the RTP modules. *To close it:* gather one address family when the peer or relay needs only that one (each socket's 64 KiB buffer is fixed in WebRTC's \`AsyncUDPSocket\`)${
        next.length > 0
          ? `, then the next sites, all inside tg_owt and the libraries it uses: ${listed(next)} (WebRTC allocates every outgoing RTP packet MTU-sized, about 1 500 bytes for an Opus packet of about 100; OpenSSL's DTLS record buffers stay allocated because WebRTC does not set \`SSL_MODE_RELEASE_BUFFERS\`), which would need changes there rather than in this addon`
          : ''
      }.`,
    );
  }
  const ratioCheck = checks.find((x) => x.name === 'CPU per call against the libopus floor');
  if (ratioCheck && !ratioCheck.met) {
    const opus = prof?.byCategory.find((e) => e.name.startsWith('Opus'));
    p(
      `- **CPU per call is ${n(h.ratioToFloor, 2)}× the libopus floor** (target 1.5×).${
        opus
          ? ` In the profile, Opus itself is ${n(opus.pct)} % of the process's CPU; the rest is everything around the codec: ${prof?.byCategory
              .filter((e) => !e.name.startsWith('Opus'))
              .slice(0, 6)
              .map((e) => `${e.name} ${n(e.pct)} %`)
              .join('; ')}.`
          : ''
      } Per endpoint, each 20 ms of audio crosses several threads (the audio clock, a pool strand for the encoder and one for the pacer, the shared network thread) and costs a system call each way, and WebRTC runs its full RTP/RTCP, bandwidth estimation, pacing and statistics machinery per stream, as it does for browsers. The task pool already removed the per-call threads and most of their wake-ups (the ratio was 3.94 before it). A 1.5× ratio would leave the whole transport half the cost of the codec, which tg_owt's PeerConnection stack does not approach. Already done: WAV input is read a block at a time (one \`fread\` per sample was about 5 % of the process's CPU). *To close it (most gain first):* drop WebRTC features a bot does not need on the audio path (statistics polling, audio-level reporting, send-side bandwidth estimation where the peer allows); and, for a large gap beyond that, a leaner transport than PeerConnection, which the tgcalls protocol versions 10/11 do not allow.`,
    );
  }
  const setupCheck = checks.find((x) => x.name === 'Setup p95, in-process');
  if (setupCheck && !setupCheck.met && s) {
    p(
      `- **Setup p95 ${n(s.engine.p95Ms)} ms** (target 60 ms). Not CPU: a median setup is ${n(s.engine.medianMs / s.udpRttMs, 0)} UDP round trips long, and the time goes to timers. The median call has sent its signaling (offer, answer, candidates: ${n(s.engineSignalingUnits, 0)} units) after ${n(s.engineSignaling.medianMs)} ms and one side is established (ICE and DTLS done) after ${n(s.engineFirstEstablished.medianMs)} ms, but the other side is established only ${n(s.engineEstablishedGap.medianMs)} ms later (median; p95 ${n(s.engineEstablishedGap.p95Ms)} ms). A WebRTC trace (\`setLogger('verbose')\`) of such calls shows why: the DTLS server reads the client's last flight, completes and sends its own (ChangeCipherSpec, Finished), but the client never reads that flight; it completes only when its retransmission timer fires (\`configuring DTLS handshake timeout 50 based on ICE RTT\`), resends, and the server answers again. Where the first copy is lost is not established yet; the trace shows both sides still switching their selected candidate pair around the start of the handshake. The first decoded audio then follows ${n(s.engine.medianMs - s.engineEstablished.medianMs)} ms after both are established (the first 20 ms Opus packet, then NetEq's initial buffering). *To close it:* find and stop that loss (follow the flight through the socket, ICE and DTLS layers; keeping the selected pair stable until DTLS completes is the first thing to try), which removes one retransmission timeout from most calls and would bring the median near ${n(s.engine.medianMs - s.engineEstablishedGap.medianMs, 0)} ms; then prime the jitter buffer so the first packet plays at once.`,
    );
  }
  const earCheck = checks.find((x) => x.name === 'Mouth-to-ear median, loopback, no added delay');
  const direct = l?.paths.find((x) => x.path === 'direct');
  if (earCheck && !earCheck.met && direct) {
    p(
      `- **Mouth-to-ear median ${n(direct.medianMs)} ms** (target 60 ms). The calls measured ${direct.perCallMedianMs.map((v) => `${n(v)} ms`).join(', ')}; the fastest measured ${n(Math.min(...direct.perCallMedianMs))} ms; what differs between calls is mostly the delay the jitter buffer (NetEq) settled on, which grows with arrival jitter — here while the machine was busy with other work (WebRTC's jitter estimates at the end of each call: ${direct.perCallJitterMs.map((v) => `${n(v, 0)} ms`).join(', ')}). *To close it:* steadier packet timing (the fewer threads and wake-ups above, real-time priority for the audio clock thread), so NetEq has no reason to grow its delay.`,
    );
  }
  if (checks.every((x) => x.met)) p('Every target was met in this run.');
  p();
  p('## Raw results');
  p();
  p(
    'Every figure on this page comes from the JSON the runner writes (`build/bench/results.json`); `npm run bench -- --json` prints the same with the headline figures and target checks on top.',
  );
  p();
  return out.join('\n');
}

/** Writes docs/performance.md (prettier-formatted) and docs/performance-calls.svg. */
export async function writeReport(results: BenchResults, root: string): Promise<void> {
  const docs = path.join(root, 'docs');
  fs.writeFileSync(path.join(docs, svgName), plotSvg(results));
  const file = path.join(docs, 'performance.md');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prettier = require('prettier') as typeof import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  const markdown = await prettier.format(reportMarkdown(results), {
    ...config,
    parser: 'markdown',
  });
  fs.writeFileSync(file, markdown);
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const input = process.argv[2] ?? path.join(root, 'build', 'bench', 'results.json');
  const results = JSON.parse(fs.readFileSync(input, 'utf8')) as BenchResults;
  writeReport(results, root).then(
    () => {
      process.stdout.write(`wrote docs/performance.md and docs/${svgName} from ${input}\n`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
