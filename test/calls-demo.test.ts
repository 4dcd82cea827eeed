import { runExchangeDemo } from '../lib/calls/demo';
import { loopbackEngineFactory } from './support/loopback-engine';

describe('runExchangeDemo', () => {
  it('drives a whole call and reports keys, discard, rating and debug upload', async () => {
    const { factory } = loopbackEngineFactory();
    const result = await runExchangeDemo({ engineFactory: factory, seconds: 0.2 });
    expect(result.caller.version).toBe('11.0.0');
    expect(result.caller.keyFingerprint).toMatch(/^-?\d+$/);
    expect(result.callee.keyFingerprint).toBe(result.caller.keyFingerprint);
    expect(result.caller.emoji).toHaveLength(4);
    expect(result.callee.emoji).toEqual(result.caller.emoji);
    expect(result.caller.finalState?.debugJson).toContain('loopback');
    expect(result.callee.finalState).toBeDefined();
    expect(result.discard).toEqual({ reason: 'hangup', duration: 0 });
    expect(result.rating).toEqual({ rating: 4, comment: 'demo call #echo', userInitiative: false });
    expect(result.debugSaved).toBe(true);
  });
});
