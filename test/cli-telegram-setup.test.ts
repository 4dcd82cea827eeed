/**
 * What `play` and `record` check before they reach Telegram: credentials, the optional
 * `telegram` package, the arguments. Telegram itself cannot be reached from the tests.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

import { CliArgs, UsageError } from '../lib/cli/args';
import { requireOptional } from '../lib/cli/optional-module';
import { readTelegramCredentials } from '../lib/cli/telegram-account';
import { TgCallsError } from '../lib/errors';
import { repoRoot } from './support/paths';

const cli = path.join(repoRoot, 'dist', 'cli', 'main.js');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stderr });
    });
  });
}

describe('play and record before Telegram', () => {
  it('reads the credentials from the environment', () => {
    expect(
      readTelegramCredentials({ TG_API_ID: '12345', TG_API_HASH: 'abc', TG_SESSION: '1Aa' }),
    ).toEqual({ apiId: 12345, apiHash: 'abc', session: '1Aa' });
  });

  it('names every missing variable, and a non-numeric api id', () => {
    expect(() => readTelegramCredentials({ TG_API_HASH: 'abc' })).toThrow(
      /TG_API_ID, TG_SESSION must be set/,
    );
    expect(() =>
      readTelegramCredentials({ TG_API_ID: 'abc', TG_API_HASH: 'abc', TG_SESSION: 's' }),
    ).toThrow(UsageError);
  });

  it('tells to install the telegram package when it is missing', () => {
    const missing = (name: string): never => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };
    let error: unknown;
    try {
      requireOptional('telegram/sessions', 'telegram', missing);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TgCallsError);
    expect(error).toMatchObject({ code: 'PEER_DEPENDENCY_MISSING' });
    expect((error as Error).message).toContain('npm install telegram');
  });

  it('passes on other load failures as they are', () => {
    const broken = (): never => {
      throw Object.assign(new Error("Cannot find module 'big-integer'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(() => requireOptional('telegram', 'telegram', broken)).toThrow(/big-integer/);
  });

  it('takes positional arguments only up to the command’s count', () => {
    const args = new CliArgs(
      ['@someone', 'a.ogg', '--loop', '--duration', '5'],
      new Set(['loop']),
      2,
    );
    expect(args.positionals).toEqual(['@someone', 'a.ogg']);
    expect(args.flag('loop')).toBe(true);
    expect(args.optionalNumber('duration')).toBe(5);
    expect(args.optionalNumber('wait')).toBeUndefined();
    expect(() => new CliArgs(['a', 'b', 'c'], new Set(), 2)).toThrow(/unexpected argument 'c'/);
    expect(() => new CliArgs(['a'], new Set())).toThrow(UsageError);
    expect(() => new CliArgs([], new Set(), 1).positional(0, 'the file')).toThrow(
      /the file is missing/,
    );
  });

  /** The environment without Telegram credentials. */
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_TGCALLS_NATIVE_PATH: process.env.NODE_TGCALLS_NATIVE_PATH,
  };

  it('exits 2 with a clear message when the credentials are not set', async () => {
    const record = await runCli(['record', 'out.wav'], env);
    expect(record.code).toBe(2);
    expect(record.stderr).toContain('TG_API_ID, TG_API_HASH, TG_SESSION must be set');
    const play = await runCli(['play', '@someone', __filename], env);
    expect(play.code).toBe(2);
    expect(play.stderr).toContain('TG_API_ID, TG_API_HASH, TG_SESSION must be set');
  });

  it('exits 1 when the file to play does not exist, before logging in', async () => {
    const result = await runCli(['play', '@someone', 'no-such-file.ogg'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no such file: no-such-file.ogg');
  });
});
