/**
 * How a CallManager talks to Telegram: adapters (GramJS, mtcute) and the LocalExchange
 * implement this. Results and updates are validated by the call layer, so a transport may
 * hand over whatever its source produced.
 */
import type { PhoneRequest, PhoneResult } from '../tl';

export interface CallTransport {
  /** Invokes one phone.* method (or messages.getDhConfig); rejects with the RPC error. */
  invoke<R extends PhoneRequest>(request: R): Promise<PhoneResult<R>>;
  /** The id of the account this transport speaks for (admin_id/participant_id checks). */
  getSelfUserId(): Promise<bigint>;
  /**
   * Optional: delivers each incoming update (updatePhoneCall, updatePhoneCallSignalingData;
   * anything else is ignored) and returns a function that stops the delivery. Without it,
   * feed updates to CallManager.handleUpdate yourself.
   */
  subscribe?(onUpdate: (update: unknown) => void): () => void;
}
