import {
  CallKey,
  RawSignalingChannel,
  ReliableSignalingChannel,
  decryptSignalingPacket,
  encryptSignalingPacket,
  gzipCompress,
  maybeInflate,
  parseReliableContainer,
} from '../lib/crypto';
import { mulberry32 } from '../lib/netem/prng';
import {
  type Role,
  type TranscriptEntry,
  hex,
  testKey,
  transcript10,
  transcript11,
} from './support/vectors';

const isCaller = (role: Role): boolean => role === 'caller';

describe('signaling packet encryption', () => {
  it.each([
    [
      'TV-4.1 raw framing, caller',
      true,
      '000000017b224074797065223a2243616e64696461746573222c2263616e64696461746573223a5b5d7d',
      'b7639f46c1f2138d49c88df16086c9e551db8b91ab22224cda0784807bee96b810a5bd66fca7c2618f4294276146dd4694411c0f6d8e782c2ca0',
    ],
    [
      'TV-4.2 reliable container, caller',
      true,
      '400000017f0000001d7b224074797065223a226f66666572222c22736470223a22763d30227d',
      'bbcec93fb291153e37dc503f48488f6c2a7fdbe4c555ef6aba334e2c2e26d54c334218a983ecdaaf3e795352a5896a31154adb17d0a3',
    ],
    [
      'TV-4.3 ack service packet, callee',
      false,
      '00000001fe40000001ff',
      '751451120690aeb0becdf15c54012aa6d385839a5592a2ee4703',
    ],
  ])('reproduces %s', (_name, senderIsCaller, plaintext, packet) => {
    expect(encryptSignalingPacket(testKey, senderIsCaller, hex(plaintext)).toString('hex')).toBe(
      packet,
    );
    const received = decryptSignalingPacket(testKey, !senderIsCaller, hex(packet));
    expect(received?.toString('hex')).toBe(plaintext);
  });

  it('decrypts every 10.0.0 transcript packet as the receiver, and re-encrypts it exactly', () => {
    const key = hex(transcript10.key_hex);
    for (const packet of transcript10.packets) {
      const body = decryptSignalingPacket(key, isCaller(packet.receiver), hex(packet.hex));
      expect(body?.toString('hex')).toBe(packet.decrypted_body_hex);
      expect(decryptSignalingPacket(key, isCaller(packet.from), hex(packet.hex))).toBeNull();
      const again = encryptSignalingPacket(
        key,
        isCaller(packet.from),
        hex(packet.decrypted_body_hex),
      );
      expect(again.toString('hex')).toBe(packet.hex);
    }
  });

  it('decrypts every 11.0.0 transcript message as the receiver, and re-encrypts it exactly', () => {
    const key = hex(transcript11.key_hex);
    const messages = transcript11.packets.flatMap((packet) =>
      packet.messages.map((message) => ({ from: packet.from, ...message })),
    );
    expect(messages).toHaveLength(10);
    for (const message of messages) {
      const body = decryptSignalingPacket(
        key,
        isCaller(message.receiver),
        hex(message.encrypted_hex),
      );
      expect(body?.toString('hex')).toBe(message.decrypted_body_hex);
      expect(
        decryptSignalingPacket(key, isCaller(message.from), hex(message.encrypted_hex)),
      ).toBeNull();
      const again = encryptSignalingPacket(
        key,
        isCaller(message.from),
        hex(message.decrypted_body_hex),
      );
      expect(again.toString('hex')).toBe(message.encrypted_hex);
    }
  });

  it('rejects a packet with any single bit flipped', () => {
    const packet = encryptSignalingPacket(
      testKey,
      true,
      Buffer.from('\u0000\u0000\u0000\u0001{"a":1}'),
    );
    for (let bit = 0; bit < packet.length * 8; bit++) {
      const altered = Buffer.from(packet);
      altered[bit >> 3] = (altered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(decryptSignalingPacket(testKey, false, altered)).toBeNull();
    }
  });

  it('rejects a packet encrypted with another call key', () => {
    const otherKey = Buffer.from(testKey).reverse();
    const packet = encryptSignalingPacket(otherKey, true, hex('00000001aa'));
    expect(decryptSignalingPacket(testKey, false, packet)).toBeNull();
  });
});

describe('the 10.0.0 reliable container', () => {
  const kindOf: Record<string, TranscriptEntry['kind']> = {
    empty: 'empty',
    ack: 'ack',
    rawMessage: 'raw_message',
  };

  it('parses every transcript body into the recorded entries', () => {
    for (const packet of transcript10.packets) {
      const parsed = parseReliableContainer(hex(packet.decrypted_body_hex));
      expect(parsed).not.toBeNull();
      expect(parsed?.firstSeq).toBe(parseInt(packet.parsed.first_seq_hex, 16));
      const entries = parsed?.entries ?? [];
      expect(entries).toHaveLength(packet.parsed.entries.length);
      packet.parsed.entries.forEach((expected, i) => {
        const entry = entries[i];
        expect(entry?.offset).toBe(expected.offset);
        expect(entry?.seq).toBe(parseInt(expected.seq_hex, 16));
        expect(entry?.type).toBe(parseInt(expected.type, 16));
        expect(kindOf[entry?.kind ?? '']).toBe(expected.kind);
        if (expected.kind === 'raw_message') {
          expect(entry?.body.toString('utf8')).toBe(expected.json_text);
          expect(entry?.body.length).toBe(expected.length);
        }
      });
    }
  });

  it.each<Role>(['caller', 'callee'])(
    'delivers, packet by packet, exactly the messages of the %s marked delivered, as upstream did',
    (sender) => {
      const key = hex(transcript10.key_hex);
      const receiverIsCaller = sender !== 'caller';
      const receiver = new ReliableSignalingChannel(new CallKey(key), receiverIsCaller);
      const packets = transcript10.packets
        .filter((packet) => packet.from === sender)
        .sort((a, b) => a.from_index - b.from_index);
      expect(packets).toHaveLength(9);
      let deliveredCount = 0;
      packets.forEach((packet, i) => {
        const expected = packet.parsed.entries
          .filter((entry) => entry.kind === 'raw_message' && entry.delivered === true)
          .map((entry) => entry.json_text);
        const delivered = receiver
          .receive(hex(packet.hex), i)
          .map((message) => message.toString('utf8'));
        expect({ packet: packet.from_index, delivered }).toEqual({
          packet: packet.from_index,
          delivered: expected,
        });
        deliveredCount += delivered.length;
      });
      // Each message once (the caller wrote 5, the callee 6: test/vectors/README.md); the other
      // entries are re-sent copies, acks and service headers.
      expect(deliveredCount).toBe(sender === 'caller' ? 5 : 6);
      // Every packet a second time: rejected by the replay check.
      for (const packet of packets) expect(receiver.receive(hex(packet.hex), 100)).toEqual([]);
      // The receiver now owes acks for what it got.
      expect(receiver.takeOutgoing(200).length).toBeGreaterThan(0);
    },
  );

  it('delivers every message once and in order with 30 % loss, 30 % duplication and 30 % reordering', () => {
    const key = new CallKey(testKey);
    const sides = {
      caller: new ReliableSignalingChannel(key, true),
      callee: new ReliableSignalingChannel(key, false),
    };
    const random = mulberry32(1234);
    const impairment = 0.3;
    // A packet in flight: `index` counts transmissions per direction, to see reordering.
    const inFlight: { to: Role; at: number; index: number; bytes: Buffer }[] = [];
    const transmitted = { caller: 0, callee: 0 };
    const newestArrived = { caller: -1, callee: -1 };
    const counts = { transmitted: 0, dropped: 0, duplicated: 0, heldBack: 0, arrivedOutOfOrder: 0 };
    const sent = { caller: [] as string[], callee: [] as string[] };
    const delivered = { caller: [] as string[], callee: [] as string[] };

    const transmit = (to: Role, packets: Buffer[], now: number): void => {
      for (const bytes of packets) {
        counts.transmitted++;
        const index = transmitted[to]++;
        if (random() < impairment) {
          counts.dropped++;
          continue;
        }
        const copies = random() < impairment ? 2 : 1;
        counts.duplicated += copies - 1;
        for (let copy = 0; copy < copies; copy++) {
          // Most copies take 10-50 ms; held-back ones take up to 3 s, overtaken by later ones.
          const heldBack = random() < impairment;
          if (heldBack) counts.heldBack++;
          const delay = heldBack
            ? 50 + Math.floor(random() * 2950)
            : 10 + Math.floor(random() * 40);
          inFlight.push({ to, at: now + delay, index, bytes });
        }
      }
    };

    const settled = (): boolean =>
      inFlight.length === 0 &&
      sent.caller.length === 100 &&
      sent.callee.length === 80 &&
      sides.caller.unackedCount === 0 &&
      sides.callee.unackedCount === 0;

    let now = 0;
    for (; now < 3_600_000 && !settled(); now += 10) {
      if (now % 200 === 0 && sent.caller.length < 100) {
        const text = `{"@type":"candidate","n":${sent.caller.length}}`;
        sent.caller.push(text);
        expect(sides.caller.send(Buffer.from(text), now)).toBe('ok');
      }
      if (now % 250 === 0 && sent.callee.length < 80) {
        const text = `{"@type":"candidate","m":${sent.callee.length}}`;
        sent.callee.push(text);
        expect(sides.callee.send(Buffer.from(text), now)).toBe('ok');
      }
      // Arrivals in time order; equal times in transmission order.
      const due = inFlight.filter((packet) => packet.at <= now).sort((a, b) => a.at - b.at);
      for (const packet of due) {
        inFlight.splice(inFlight.indexOf(packet), 1);
        if (packet.index < newestArrived[packet.to]) counts.arrivedOutOfOrder++;
        newestArrived[packet.to] = Math.max(newestArrived[packet.to], packet.index);
        const messages = sides[packet.to].receive(packet.bytes, now);
        delivered[packet.to].push(...messages.map((message) => message.toString('utf8')));
      }
      transmit('callee', sides.caller.takeOutgoing(now), now);
      transmit('caller', sides.callee.takeOutgoing(now), now);
    }

    expect(settled()).toBe(true);
    expect(delivered.callee).toEqual(sent.caller);
    expect(delivered.caller).toEqual(sent.callee);
    // The network really was that bad: about 30 % of each impairment, and reordered arrivals.
    const forwarded = counts.transmitted - counts.dropped;
    expect(counts.dropped / counts.transmitted).toBeGreaterThan(0.2);
    expect(counts.dropped / counts.transmitted).toBeLessThan(0.4);
    expect(counts.duplicated / forwarded).toBeGreaterThan(0.2);
    expect(counts.duplicated / forwarded).toBeLessThan(0.4);
    expect(counts.heldBack / (forwarded + counts.duplicated)).toBeGreaterThan(0.2);
    expect(counts.heldBack / (forwarded + counts.duplicated)).toBeLessThan(0.4);
    expect(counts.arrivedOutOfOrder).toBeGreaterThan(10);
  });
});

describe('the 11.0.0 raw framing', () => {
  it.each<Role>(['caller', 'callee'])(
    'opens the %s messages to sequence numbers 1, 2, 3… and their JSON',
    (sender) => {
      const key = new CallKey(hex(transcript11.key_hex));
      const receiver = new RawSignalingChannel(key, sender !== 'caller');
      const messages = transcript11.packets
        .filter((packet) => packet.from === sender)
        .flatMap((packet) => packet.messages);
      messages.forEach((message, i) => {
        expect(message.seq).toBe(i + 1);
        const payload = receiver.open(hex(message.encrypted_hex));
        expect(payload).not.toBeNull();
        expect(maybeInflate(payload ?? Buffer.alloc(0))?.toString('utf8')).toBe(message.json_text);
        expect(receiver.open(hex(message.encrypted_hex))).toBeNull();
      });
    },
  );

  it('compresses JSON to the recorded gzip payloads', () => {
    for (const message of transcript11.packets.flatMap((packet) => packet.messages)) {
      const recorded = hex(message.decrypted_body_hex).subarray(4);
      const compressed = gzipCompress(Buffer.from(message.json_text));
      expect(compressed.subarray(0, 10).toString('hex')).toBe('1f8b0800000000000203');
      expect(maybeInflate(compressed)?.toString('utf8')).toBe(message.json_text);
      expect(compressed.equals(recorded)).toBe(true);
    }
  });

  it('seals packets that the peer opens in order', () => {
    const key = new CallKey(testKey);
    const sender = new RawSignalingChannel(key, false);
    const receiver = new RawSignalingChannel(key, true);
    for (let i = 0; i < 5; i++) {
      const sealed = sender.seal(Buffer.from(`message ${i}`));
      expect(receiver.open(sealed)?.toString()).toBe(`message ${i}`);
    }
  });
});

describe('hostile input', () => {
  it('never crashes on random bytes of every length from 0 to 2000', () => {
    const key = new CallKey(testKey);
    const reliable = new ReliableSignalingChannel(key, false);
    const raw = new RawSignalingChannel(key, false);
    let seed = 99;
    for (let length = 0; length <= 2000; length++) {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) {
        seed = (seed * 1664525 + 1013904223) % 2 ** 32;
        bytes[i] = seed >>> 24;
      }
      expect(decryptSignalingPacket(testKey, false, bytes)).toBeNull();
      expect(reliable.receive(bytes, length)).toEqual([]);
      expect(raw.open(bytes)).toBeNull();
      parseReliableContainer(bytes);
      maybeInflate(Buffer.concat([hex('1f8b'), bytes]));
    }
  });

  it('drops a gzip bomb that inflates past 2 MiB', () => {
    const bomb = gzipCompress(Buffer.alloc(3 * 1024 * 1024, 0x20));
    expect(maybeInflate(bomb)).toBeNull();
  });

  it('rejects arguments of the wrong type with TypeError', () => {
    expect(() =>
      encryptSignalingPacket('key' as unknown as Uint8Array, true, Buffer.alloc(8)),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }) as Error);
  });
});
