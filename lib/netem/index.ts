/**
 * node-tgcalls/netem: network impairment in user space for call tests — a seeded impairment
 * model (loss, Gilbert-Elliott bursts, delay, jitter, reordering, duplication, bandwidth cap,
 * blackouts) and a UDP relay that applies it in front of a TURN server. No native code, no
 * root, no kernel netem. See docs/reliability.md.
 */
export {
  ImpairmentModel,
  burstLossFor,
  validateProfile,
  type Blackout,
  type DropCause,
  type GilbertElliott,
  type ImpairmentCounters,
  type ImpairmentProfile,
} from './impairment-model';
export {
  startImpairedUdpRelay,
  type ImpairedUdpRelay,
  type ImpairedUdpRelayOptions,
  type RelayDirection,
  type RelayDirectionStats,
} from './impaired-udp-relay';
export { mulberry32, deriveSeed, type Random } from './prng';
