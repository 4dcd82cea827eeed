/**
 * The call report: an HTML page people can look at (waveforms, spectrograms, the network
 * timeline, the connection, setup time, the engine's debug JSON) and a JSON file with the same
 * measured figures for machines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { EngineStats } from '../engine/native-engine';
import type { ToneAnalysis } from '../media/analysis';
import { spectrogramPng, timelinePng, waveformPng } from './plots';

export interface ReportAudio {
  /** e.g. "caller → callee: what the callee heard". */
  title: string;
  samples: Int16Array;
  sampleRate: number;
  analysis?: ToneAnalysis & { expectedHz: number; ok: boolean };
}

export interface ReportStatsSample {
  /** Seconds since the call was established. */
  t: number;
  stats: EngineStats;
}

export interface CallReportInput {
  title: string;
  version: string;
  setupMs: number;
  audio: ReportAudio[];
  timeline: ReportStatsSample[];
  debugJson: string;
  /** Anything else worth keeping (key fingerprint, discard reason, rating…). */
  details: Record<string, unknown>;
}

export interface CallReportFiles {
  html: string;
  json: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function image(png: Buffer, alt: string): string {
  return `<img alt="${escapeHtml(alt)}" src="data:image/png;base64,${png.toString('base64')}">`;
}

function connectionType(timeline: ReportStatsSample[]): string {
  const last = [...timeline]
    .reverse()
    .find((sample) => sample.stats.localCandidateType !== '')?.stats;
  if (last === undefined) return 'not connected';
  const relayed = last.localCandidateType === 'relay' || last.remoteCandidateType === 'relay';
  return `${relayed ? 'TURN relay' : 'direct'} (${last.localCandidateType} ↔ ${last.remoteCandidateType})`;
}

function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor(sorted.length / 2)] ?? 0) : -1;
}

/** Writes `<name>.html` and `<name>.json` into `dir`. */
export function writeCallReport(
  dir: string,
  name: string,
  input: CallReportInput,
): CallReportFiles {
  fs.mkdirSync(dir, { recursive: true });
  const stats = input.timeline.map((sample) => sample.stats);
  const summary = {
    title: input.title,
    version: input.version,
    setupMs: input.setupMs,
    connection: connectionType(input.timeline),
    codec:
      stats
        .map((s) => s.codec)
        .filter((codec) => codec !== '')
        .pop() ?? '',
    medianRttMs: median(stats.map((s) => s.rttMs)),
    maxPacketLoss: Math.max(0, ...stats.map((s) => s.packetLoss)),
    medianJitterMs: median(stats.map((s) => s.jitterMs)),
    audio: input.audio.map((a) => ({
      title: a.title,
      seconds: a.samples.length / a.sampleRate,
      ...a.analysis,
    })),
    timeline: input.timeline.map((sample) => ({ t: sample.t, ...sample.stats })),
    details: input.details,
    debug: safeJson(input.debugJson),
  };
  const json = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    json,
    JSON.stringify(
      summary,
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
      2,
    ),
  );

  const points = (pick: (s: EngineStats) => number) =>
    input.timeline.map((sample) => ({ t: sample.t, value: pick(sample.stats) }));
  const rows = (entries: [string, string][]) =>
    entries.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const audioSections = input.audio
    .map((a) => {
      const verdict = a.analysis
        ? `expected ${a.analysis.expectedHz} Hz, heard ${a.analysis.dominantHz} Hz; tone in ${(a.analysis.toneFraction * 100).toFixed(0)} % of 100 ms windows; SNR ${a.analysis.snrDb} dB; level ${a.analysis.levelDbfs} dBFS — <b class="${a.analysis.ok ? 'ok' : 'bad'}">${a.analysis.ok ? 'good' : 'bad'}</b>`
        : '';
      return `<h3>${escapeHtml(a.title)}</h3><p>${verdict}</p>
${image(waveformPng(a.samples), `waveform: ${a.title}`)}
${image(spectrogramPng(a.samples, a.sampleRate), `spectrogram: ${a.title}`)}`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}img{display:block;margin:.5em 0;border:1px solid #ddd}
th{text-align:left;padding-right:1em}.ok{color:#080}.bad{color:#b00}pre{background:#f6f6f6;padding:1em;overflow:auto}
.legend span{margin-right:1.5em}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<table>${rows([
    ['protocol', input.version],
    ['connection', summary.connection],
    ['codec', summary.codec],
    ['setup (start to audio both ways)', `${input.setupMs} ms`],
    ['round-trip time (median)', `${summary.medianRttMs} ms`],
    ['packet loss (max)', `${(summary.maxPacketLoss * 100).toFixed(1)} %`],
    ['jitter (median)', `${summary.medianJitterMs.toFixed(1)} ms`],
    ...Object.entries(input.details).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string'
        ? v
        : JSON.stringify(v, (_key, value: unknown) =>
            typeof value === 'bigint' ? value.toString() : value,
          ),
    ]),
  ])}</table>
<h2>Audio</h2>
${audioSections}
<h2>Network</h2>
<p class="legend"><span style="color:#2060c0">■ send kbps</span><span style="color:#c02020">■ receive kbps</span></p>
${image(
  timelinePng([
    { name: 'send', color: [32, 96, 192], points: points((s) => s.sendBitrateKbps) },
    { name: 'receive', color: [192, 32, 32], points: points((s) => s.receiveBitrateKbps) },
  ]),
  'bitrate',
)}
<p class="legend"><span style="color:#208020">■ round-trip time</span><span style="color:#a06000">■ jitter</span><span style="color:#800080">■ packet loss</span> (each scaled to its maximum)</p>
${image(
  timelinePng([
    { name: 'rtt', color: [32, 128, 32], points: points((s) => s.rttMs) },
    { name: 'jitter', color: [160, 96, 0], points: points((s) => s.jitterMs) },
    { name: 'loss', color: [128, 0, 128], points: points((s) => s.packetLoss) },
  ]),
  'rtt, jitter and loss',
)}
<h2>Engine debug JSON</h2>
<pre>${escapeHtml(JSON.stringify(safeJson(input.debugJson), null, 2))}</pre>
</body></html>
`;
  const htmlPath = path.join(dir, `${name}.html`);
  fs.writeFileSync(htmlPath, html);
  return { html: htmlPath, json };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
