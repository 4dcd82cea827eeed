/**
 * What `play` and `record` need from wherever calls go: a CallTransport and a way to turn a
 * user named on the command line into an InputUser. Telegram (GramJS) and a LocalExchange
 * served on a WebSocket both provide one, so everything after "connected" is shared.
 */
import type { CallTransport } from '../calls/transport';
import type { InputUser } from '../tl';

export interface CliAccount {
  readonly transport: CallTransport;
  /** A username, phone number or user id, as the user typed it. */
  resolveUser(spec: string): Promise<InputUser>;
  /** Disconnects; the account is not used afterwards. */
  close(): Promise<void>;
}
