/** phoneCall.custom_parameters (DataJSON) → the engine's customParameters (spec §1.8, §6.9). */
import type { DataJSON } from '../tl';
import type { Log } from './logger';

/** Keys newer upstream tgcalls reads; anything else is logged and dropped. */
export const knownCustomParameters: readonly string[] = [
  'network_standalone_reflectors',
  'network_use_mtproto',
  'network_use_default_route',
  'network_enable_shared_socket',
  'network_skip_initial_ping',
  'network_kcp_experiment',
];

export function parseCustomParameters(
  parameters: DataJSON | undefined,
  log: Log,
): Record<string, unknown> {
  if (parameters === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(parameters.data);
  } catch {
    log.warn('custom_parameters is not valid JSON; treated as {}');
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    log.warn('custom_parameters is not a JSON object; treated as {}');
    return {};
  }
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (knownCustomParameters.includes(key)) known[key] = value;
    else log.debug(`custom_parameters: unknown key ${JSON.stringify(key.slice(0, 64))} ignored`);
  }
  return known;
}
