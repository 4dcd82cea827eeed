/** Runs hostile-child.js in a fresh Node process and counts crashes. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

import type { HostileCallResult } from './hostile-call';

export interface HostileRunResult {
  fuzzCases: number;
  /** The child died from a signal or exited abnormally (a sanitizer, an abort, a V8 fatal). */
  crashes: number;
  /** The child could not set its calls up (not a crash; see stderr). */
  setupFailed: boolean;
  /** Calls that did not survive the injection. */
  callsLost: number;
  results: HostileCallResult[];
  exit: { status: number | null; signal: string | null };
  stderr: string;
}

export async function runHostileChild(count: number, seed: number): Promise<HostileRunResult> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'hostile-child.js'), String(count), String(seed)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = await new Promise<{ status: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (status, signal) => {
      resolve({ status, signal });
    }),
  );
  let results: HostileCallResult[] = [];
  try {
    results = JSON.parse(stdout.trim() || '[]') as HostileCallResult[];
  } catch {
    results = [];
  }
  // Exit 1 is the child's own error report (a call that would not set up); anything else
  // non-zero, or a signal, is a crash.
  const crashed = exit.signal !== null || (exit.status !== 0 && exit.status !== 1);
  return {
    fuzzCases: crashed ? 2 * count : results.reduce((n, r) => n + r.cases, 0),
    crashes: crashed ? 1 : 0,
    setupFailed: exit.status === 1,
    callsLost: results.filter((r) => !r.survived).length,
    results,
    exit,
    stderr: stderr.slice(-2000),
  };
}
