/**
 * Wraps a CallTransport to record every request and, for the bad-input tests, to tamper with
 * what the server sends (results and updates) before the call layer sees it.
 */
import type { CallTransport } from '../../lib/calls';
import type { PhoneRequest, PhoneResult } from '../../lib/tl';

export interface Tampering {
  /** Replaces a result before the call layer sees it. */
  result?: (request: PhoneRequest, result: unknown) => unknown;
  /** Replaces an update; `undefined` drops it. */
  update?: (update: unknown) => unknown;
  /** Runs when a request is sent (e.g. to snapshot state). */
  invoked?: (request: PhoneRequest) => void;
}

export class RecordingTransport implements CallTransport {
  readonly requests: PhoneRequest[] = [];
  tampering: Tampering = {};

  constructor(private readonly inner: CallTransport) {}

  async invoke<R extends PhoneRequest>(request: R): Promise<PhoneResult<R>> {
    this.requests.push(request);
    this.tampering.invoked?.(request);
    const result = await this.inner.invoke(request);
    const map = this.tampering.result;
    return (map === undefined ? result : map(request, result)) as PhoneResult<R>;
  }

  getSelfUserId(): Promise<bigint> {
    return this.inner.getSelfUserId();
  }

  subscribe(onUpdate: (update: unknown) => void): () => void {
    const subscribe = this.inner.subscribe?.bind(this.inner);
    if (subscribe === undefined) throw new Error('inner transport cannot subscribe');
    return subscribe((update) => {
      const map = this.tampering.update;
      const mapped = map === undefined ? update : map(update);
      if (mapped !== undefined) onUpdate(mapped);
    });
  }

  /** The requests of one method, in order. */
  sent<N extends PhoneRequest['_']>(name: N): Extract<PhoneRequest, { _: N }>[] {
    return this.requests.filter(
      (request): request is Extract<PhoneRequest, { _: N }> => request._ === name,
    );
  }
}
