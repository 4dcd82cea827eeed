/** phoneCallProtocol#fc878fc8: the tgcalls versions one side (or the server's choice) supports. */
export interface PhoneCallProtocol {
  _: 'phoneCallProtocol';
  /** Frozen libtgvoip-era values: always true, true, 65, 92 (spec §1.2). */
  udp_p2p?: boolean;
  udp_reflector?: boolean;
  min_layer: number;
  max_layer: number;
  /** tgcalls protocol versions, preferred first. */
  library_versions: string[];
}
