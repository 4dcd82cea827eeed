/** messages.dhConfig#2c221edd: new DH parameters (p, g) and fresh server randomness. */
export interface MessagesDhConfig {
  _: 'messages.dhConfig';
  g: number;
  p: Uint8Array;
  version: number;
  random: Uint8Array;
}

/** messages.dhConfigNotModified#c0e24635: the client's cached (p, g) are current. */
export interface MessagesDhConfigNotModified {
  _: 'messages.dhConfigNotModified';
  random: Uint8Array;
}

export type MessagesDhConfigResult = MessagesDhConfig | MessagesDhConfigNotModified;
