/** How the LocalExchange, as the server, picks the protocol of the final phoneCall (spec §1.3). */
import type { PhoneCallProtocol } from '../tl';

function compareVersions(a: string, b: string): number {
  const partsA = a.split('.').map(Number);
  const partsB = b.split('.').map(Number);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i += 1) {
    const difference = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Telegram's ranking is not public; like third-party servers, this one takes the versions
 * both sides advertise, highest first. With nothing in common the list is empty, which
 * clients read as "2.4.4" (spec §1.7).
 */
export function commonVersionsHighestFirst(
  caller: readonly string[],
  callee: readonly string[],
): string[] {
  return caller.filter((version) => callee.includes(version)).sort((a, b) => compareVersions(b, a));
}

export function finalProtocol(
  caller: PhoneCallProtocol,
  callee: PhoneCallProtocol,
  choose: (caller: readonly string[], callee: readonly string[]) => string[],
): PhoneCallProtocol {
  return {
    _: 'phoneCallProtocol',
    udp_p2p: caller.udp_p2p === true && callee.udp_p2p === true,
    udp_reflector: caller.udp_reflector === true && callee.udp_reflector === true,
    min_layer: Math.max(caller.min_layer, callee.min_layer),
    max_layer: Math.min(caller.max_layer, callee.max_layer),
    library_versions: choose(caller.library_versions, callee.library_versions),
  };
}
