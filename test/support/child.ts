import { spawnSync } from 'node:child_process';

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a snippet of JavaScript in a fresh Node process and returns what it printed. */
export function runNode(source: string, env: NodeJS.ProcessEnv = {}): ChildResult {
  const result = spawnSync(process.execPath, ['-e', source], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}
