/** A relay-only call with the wrong TURN password: how fast, and with what, it fails. */
import type { TurnServer } from '../../test/support/turn-server';
import { startImpairedPath } from './relay-path';
import { startToneCall } from './tone-call';

export interface WrongCredentialsResult {
  connectTimeoutMs: number;
  /** Error code of the first failure ('' when none came). */
  code: string;
  /** From start to the first error, ms. */
  failedAfterMs: number;
}

export async function measureWrongCredentials(
  turn: TurnServer,
  connectTimeoutMs: number,
): Promise<WrongCredentialsResult> {
  const path = await startImpairedPath(turn, { seed: 1, password: 'not-the-password' });
  const startedAt = performance.now();
  const call = startToneCall({
    rtcServers: path.servers,
    enableP2P: false,
    recordAudio: false,
    config: { connectTimeoutMs },
  });
  try {
    await call.established;
    return { connectTimeoutMs, code: '', failedAfterMs: -1 };
  } catch (error) {
    return {
      connectTimeoutMs,
      code: (error as { code?: string }).code ?? 'UNKNOWN',
      failedAfterMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    await call.stop();
    await path.close();
  }
}
