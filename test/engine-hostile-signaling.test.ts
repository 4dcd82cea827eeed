import { runHostileCall } from '../scripts/faults/hostile-call';
import { hostileKinds } from '../scripts/faults/hostile-signaling';
import { startToneCall } from '../scripts/faults/tone-call';

describe('hostile signaling units', () => {
  it.each(['11.0.0', '10.0.0'] as const)(
    'are dropped silently — corrupted, truncated, extended, oversized, replayed, random and foreign-key — while the call carries on (%s)',
    async (version) => {
      const result = await runHostileCall({ version, count: 210, seed: 1 });
      for (const kind of hostileKinds) expect(result.byKind[kind]).toBe(30);
      expect(result.errors).toEqual([]);
      expect(result.survived).toBe(true);
      expect(result.callerToCalleeToneFraction).toBeGreaterThanOrEqual(0.95);
      expect(result.calleeToCallerToneFraction).toBeGreaterThanOrEqual(0.95);
    },
  );

  it.each(['11.0.0', '10.0.0'] as const)(
    'never let a call connect on another call’s units, whose messages carry another key (%s)',
    async (version) => {
      const foreign: Buffer[] = [];
      const other = startToneCall({
        version,
        recordAudio: false,
        deliver: (_from, unit, send) => {
          foreign.push(Buffer.from(unit));
          send(unit);
        },
      });
      await other.established.finally(() => other.stop());
      // The callee hears only the other call's units, replayed in their order, never its caller's.
      let next = 0;
      const call = startToneCall({
        version,
        recordAudio: false,
        config: { connectTimeoutMs: 2000 },
        deliver: (from, unit, send) => {
          if (from === 'callee') send(unit);
          else send(foreign[next++ % foreign.length] ?? unit);
        },
      });
      await expect(call.established).rejects.toMatchObject({ code: 'CALL_CONNECT_TIMEOUT' });
      await call.stop();
    },
  );
});
