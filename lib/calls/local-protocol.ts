/** What this side advertises in phoneCallProtocol, and which version a call runs (spec §1.2–1.3). */
import type { ProtocolVersion } from '../engine/types';
import { TgCallsError } from '../errors';
import type { PhoneCallProtocol } from '../tl';

/**
 * Sent unchanged in requestCall, acceptCall and confirmCall. udp_p2p, udp_reflector,
 * min_layer 65 and max_layer 92 are frozen libtgvoip-era values every client sends.
 */
export function localProtocol(versions: readonly ProtocolVersion[]): PhoneCallProtocol {
  return {
    _: 'phoneCallProtocol',
    udp_p2p: true,
    udp_reflector: true,
    min_layer: 65,
    max_layer: 92,
    library_versions: [...versions],
  };
}

/**
 * The server chooses: both official clients run element 0 of the final phoneCall's
 * library_versions ("2.4.4" when the list is empty), so the peer runs that one too; any
 * other choice would not interoperate. Throws CALL_NO_COMMON_VERSION when it is not ours.
 */
export function chooseProtocolVersion(
  finalProtocol: PhoneCallProtocol,
  implemented: readonly ProtocolVersion[],
): ProtocolVersion {
  const chosen = finalProtocol.library_versions[0] ?? '2.4.4';
  const version = implemented.find((candidate) => candidate === chosen);
  if (version === undefined) {
    throw new TgCallsError(
      'CALL_NO_COMMON_VERSION',
      `the server chose tgcalls ${chosen.slice(0, 32)}, which this engine does not implement ` +
        `(it implements ${implemented.join(', ')})`,
    );
  }
  return version;
}
