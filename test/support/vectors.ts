import * as fs from 'node:fs';
import * as path from 'node:path';

import { vectorsDir } from './paths';

export type Role = 'caller' | 'callee';

export interface TranscriptEntry {
  offset: number;
  seq_hex: string;
  type: string;
  kind: 'empty' | 'ack' | 'raw_message';
  acked_seq_hex?: string;
  length?: number;
  json_text?: string;
  resent_copy?: boolean;
  delivered?: boolean;
}

export interface Transcript10Packet {
  index: number;
  from: Role;
  from_index: number;
  hex: string;
  receiver: Role;
  key_offset_x: number;
  decrypted_body_hex: string;
  parsed: { first_seq_hex: string; entries: TranscriptEntry[] };
}

export interface Transcript11Message {
  message_index: number;
  encrypted_hex: string;
  receiver: Role;
  decrypted_body_hex: string;
  seq: number;
  json_text: string;
}

/** A decoded SCTP chunk; the INIT / INIT_ACK and DATA fields only on those chunks. */
export interface Transcript11Chunk {
  type: number;
  name: string;
  initiate_tag_hex?: string;
  initial_tsn?: number;
  tsn?: number;
}

export interface Transcript11Packet {
  index: number;
  from: Role;
  from_index: number;
  hex: string;
  sctp: { verification_tag_hex: string; chunks: Transcript11Chunk[] };
  messages: Transcript11Message[];
}

interface Transcript<P> {
  version: string;
  key_hex: string;
  packets: P[];
}

function load<P>(name: string): Transcript<P> {
  return JSON.parse(fs.readFileSync(path.join(vectorsDir, name), 'utf8')) as Transcript<P>;
}

export const transcript10 = load<Transcript10Packet>('transcript-10.0.0.json');
export const transcript11 = load<Transcript11Packet>('transcript-11.0.0.json');

export const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/** The synthetic key of the spec's test vectors: key[i] = i. */
export const testKey = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
