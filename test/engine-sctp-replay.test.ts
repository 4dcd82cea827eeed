/**
 * The 11.0.0 transcript replayed into the signaling receive path calls use: the engine's
 * SctpSignalingTransport (tg_owt's dcsctp configured as in a call, raw-framing decryption,
 * gunzip), driven through the addon's test-only replaySctpSignaling(). One side's recorded
 * units go, in order, into a transport of the other role, which must hand out exactly that
 * side's recorded JSON messages.
 *
 * dcsctp accepts the recorded COOKIE-ECHO and DATA only on an association with the tags the
 * recorded receiver drew, so the replaying transport's first random draws are that side's
 * recorded initial TSN and verification tag. Its state cookie is plain data (magic, peer tag,
 * TSN, window, tie tag, capabilities; no MAC), so the same draws accept the recorded cookie.
 */
import { CallKey } from '../lib/crypto';
import { native } from '../lib/native';
import { type Role, type Transcript11Packet, hex, transcript11 } from './support/vectors';

interface SctpReplay {
  /** Units the transport sent, including the ABORT its stop sends on a live association. */
  emitted: Buffer[];
  /** JSON texts it delivered, in order. */
  messages: string[];
}

interface SctpReplayBinding {
  replaySctpSignaling(
    key: CallKey,
    isOutgoing: boolean,
    draws: number[],
    packets: Uint8Array[],
  ): Promise<SctpReplay>;
}

const binding = native() as unknown as SctpReplayBinding;

// The SACK chunk type (RFC 9260 §3.2), read from the first chunk after the 12-byte common header.
const SACK = 3;
const firstChunkType = (unit: Buffer): number => unit.readUInt8(12);

const otherRole = (role: Role): Role => (role === 'caller' ? 'callee' : 'caller');

/** The units one side emitted, in emission (= delivery) order. */
function unitsFrom(role: Role): Transcript11Packet[] {
  return transcript11.packets
    .filter((packet) => packet.from === role)
    .sort((a, b) => a.from_index - b.from_index);
}

/** The name of a recorded unit's first chunk. */
const chunkName = (unit: Transcript11Packet): string | undefined => unit.sctp.chunks[0]?.name;

/**
 * What `role`'s socket drew when it connected, in the order this dcsctp draws them:
 * verification tag, then initial TSN (both announced in the side's INIT, its first unit).
 */
function recordedDraws(role: Role): number[] {
  const init = unitsFrom(role)[0]?.sctp.chunks[0];
  if (init?.name !== 'INIT') throw new Error(`the ${role}'s first unit is not its INIT`);
  return [parseInt(init.initiate_tag_hex as string, 16), init.initial_tsn as number];
}

/** The TSNs of the DATA chunks a side sent. */
const dataTsns = (role: Role): (number | undefined)[] =>
  unitsFrom(role)
    .flatMap((unit) => unit.sctp.chunks)
    .filter((chunk) => chunk.name === 'DATA')
    .map((chunk) => chunk.tsn);

async function replay(sender: Role, draws: number[]): Promise<SctpReplay> {
  const key = new CallKey(hex(transcript11.key_hex));
  try {
    const receiverIsCaller = otherRole(sender) === 'caller';
    const units = unitsFrom(sender).map((unit) => hex(unit.hex));
    return await binding.replaySctpSignaling(key, receiverIsCaller, draws, units);
  } finally {
    key.release();
  }
}

describe('the 11.0.0 transcript replayed into the SCTP signaling transport', () => {
  it.each(['caller', 'callee'] as const)(
    "delivers exactly the %s's recorded JSON messages, in order, to the other role",
    async (sender) => {
      const receiver = otherRole(sender);
      const result = await replay(sender, recordedDraws(receiver));

      const expected = unitsFrom(sender)
        .flatMap((unit) => unit.messages)
        .sort((a, b) => a.message_index - b.message_index)
        .map((message) => message.json_text);
      expect(expected).toHaveLength(5);
      expect(result.messages).toEqual(expected);
      const types = result.messages.map(
        (text) => (JSON.parse(text) as { '@type': string })['@type'],
      );
      expect(types).toEqual(
        sender === 'caller'
          ? ['offer', 'candidate', 'candidate', 'offer', 'answer']
          : ['answer', 'candidate', 'candidate', 'offer', 'offer'],
      );

      // The replaying side's half of the handshake is the recorded one, byte for byte: INIT,
      // INIT-ACK (with the same cookie), COOKIE-ECHO and COOKIE-ACK, so the production options
      // put the same parameters on the wire as upstream's transport.
      const ownUnits = unitsFrom(receiver);
      const handshake = ownUnits.slice(0, 4);
      expect(handshake.map(chunkName)).toEqual(['INIT', 'INIT_ACK', 'COOKIE_ECHO', 'COOKIE_ACK']);
      expect(result.emitted.slice(0, 4).map((unit) => unit.toString('hex'))).toEqual(
        handshake.map((unit) => unit.hex),
      );

      // After it this side only acknowledges the sender's DATA (it has no message to send;
      // when its SACKs go depends on timing, which a replay does not reproduce), and its stop
      // sends an ABORT only while the association is alive: the caller, which gets no ABORT,
      // sends the one the recorded caller sent; the callee, aborted by the caller, sends none.
      const rest = result.emitted.slice(4);
      const sacks = rest.filter((unit) => firstChunkType(unit) === SACK);
      expect(sacks.length).toBeGreaterThan(0);
      // The cumulative TSN ack follows the 12-byte common header and the 4-byte chunk header.
      for (const sack of sacks) expect(dataTsns(sender)).toContain(sack.readUInt32BE(16));
      const recordedAbort = ownUnits.filter((unit) => chunkName(unit) === 'ABORT');
      expect(recordedAbort).toHaveLength(receiver === 'caller' ? 1 : 0);
      expect(
        rest.filter((unit) => firstChunkType(unit) !== SACK).map((unit) => unit.toString('hex')),
      ).toEqual(recordedAbort.map((unit) => unit.hex));
    },
  );

  it('delivers nothing to a transport that draws its own tags, as in a call', async () => {
    // The recorded COOKIE-ECHO and DATA carry the recorded callee's verification tag; a
    // transport with a fresh one must drop them all.
    const result = await replay('caller', []);
    expect(result.messages).toEqual([]);
    expect(result.emitted[0]?.toString('hex')).not.toBe(unitsFrom('callee')[0]?.hex);
  });
});
