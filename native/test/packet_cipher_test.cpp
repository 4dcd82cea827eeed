#include "crypto/packet_cipher.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/call_key.h"
#include "crypto/crypto_error.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::fromHex;
using test::sequentialKey;
using test::toHex;

struct CipherVector {
  const char* name;
  int x;
  const char* plaintext;
  const char* msgKey;
  const char* aesKey;  // empty when the spec does not list it
  const char* aesIv;
  const char* packet;
};

// Spec §4.11, key[i] = i.
const CipherVector kVectors[] = {
    {"TV-4.1", 128,
     "000000017b224074797065223a2243616e64696461746573222c2263616e64696461746573223a5b5d7d",
     "b7639f46c1f2138d49c88df16086c9e5",
     "85495533a6f4721bec1e2241b9c0b40d06b3bff1781223c9ef9cabdb07e119b5",
     "c0050f70c20e94e8b4f4d8b265ac062f",
     "b7639f46c1f2138d49c88df16086c9e551db8b91ab22224cda0784807bee96b8"
     "10a5bd66fca7c2618f4294276146dd4694411c0f6d8e782c2ca0"},
    {"TV-4.2", 128, "400000017f0000001d7b224074797065223a226f66666572222c22736470223a22763d30227d",
     "bbcec93fb291153e37dc503f48488f6c",
     "449a093a6cc98971fe7742852d24f09cd697616598a99f5d2bbe5d5f0dd90fe7",
     "acdcd052a1333de232c455373d7ee27f",
     "bbcec93fb291153e37dc503f48488f6c2a7fdbe4c555ef6aba334e2c2e26d54c"
     "334218a983ecdaaf3e795352a5896a31154adb17d0a3"},
    {"TV-4.3", 136, "00000001fe40000001ff", "751451120690aeb0becdf15c54012aa6",
     "55bb9f5b7839ba94bb332e6eb0b95464a88fb2765af43ed2256de730cb1ae250",
     "fa13e00c3d5cd07f2dbacddadaf5faf9", "751451120690aeb0becdf15c54012aa6d385839a5592a2ee4703"},
    {"TV-4.4", 0, "8000000105806f0001", "baf82d1b6c0af9df1c602129ec4efe7e", "", "",
     "baf82d1b6c0af9df1c602129ec4efe7e6fe04379e506217051"},
};

TEST(PacketCipher, KeyOffsetsFollowRoleAndChannel) {
  EXPECT_EQ(senderKeyOffset(true, Channel::Transport), 0);
  EXPECT_EQ(senderKeyOffset(false, Channel::Transport), 8);
  EXPECT_EQ(senderKeyOffset(true, Channel::Signaling), 128);
  EXPECT_EQ(senderKeyOffset(false, Channel::Signaling), 136);
  // The receiver decrypts with the sender's offset.
  EXPECT_EQ(receiverKeyOffset(false, Channel::Signaling), 128);
  EXPECT_EQ(receiverKeyOffset(true, Channel::Signaling), 136);
  EXPECT_EQ(receiverKeyOffset(false, Channel::Transport), 0);
  EXPECT_EQ(receiverKeyOffset(true, Channel::Transport), 8);
}

TEST(PacketCipher, SpecVectorsTv41ToTv44EncryptExactly) {
  auto key = sequentialKey();
  for (const CipherVector& v : kVectors) {
    const Bytes plaintext = fromHex(v.plaintext);
    EXPECT_EQ(toHex(computeMsgKey(key->bytes(), v.x, plaintext)), v.msgKey) << v.name;
    if (std::string(v.aesKey).size() > 0) {
      AesKeyIv keyIv = deriveAesKeyIv(key->bytes(), v.x, fromHex(v.msgKey));
      EXPECT_EQ(toHex(keyIv.key), v.aesKey) << v.name;
      EXPECT_EQ(toHex(keyIv.iv), v.aesIv) << v.name;
    }
    EXPECT_EQ(toHex(encryptPacket(*key, v.x, plaintext)), v.packet) << v.name;
    // The raw-key overload (stateless JS API) gives the same bytes.
    EXPECT_EQ(toHex(encryptPacket(test::sequentialKeyBytes(), v.x, plaintext)), v.packet) << v.name;
  }
}

TEST(PacketCipher, SpecVectorsDecryptWithTheReceiversOffsetOnly) {
  auto key = sequentialKey();
  for (const CipherVector& v : kVectors) {
    std::optional<Bytes> plaintext = decryptPacket(*key, v.x, fromHex(v.packet));
    ASSERT_TRUE(plaintext) << v.name;
    EXPECT_EQ(toHex(*plaintext), v.plaintext) << v.name;
    for (int other : {0, 8, 128, 136}) {
      if (other != v.x) {
        EXPECT_FALSE(decryptPacket(*key, other, fromHex(v.packet))) << v.name;
      }
    }
  }
}

// Every unit of both upstream transcripts: decrypt with the receiver's x, fail with the
// sender's own x, and re-encrypt to the recorded bytes.
void checkTranscriptUnit(const CallKey& key, const nlohmann::json& unit, const Bytes& packet,
                         const std::string& label) {
  const int x = unit["key_offset_x"].get<int>();
  const bool receiverIsCaller = unit["receiver"] == "caller";
  ASSERT_EQ(x, receiverKeyOffset(receiverIsCaller, Channel::Signaling)) << label;
  const int senderOwnRoleX = receiverKeyOffset(!receiverIsCaller, Channel::Signaling);

  AesKeyIv keyIv = deriveAesKeyIv(key.bytes(), x, ByteView(packet).first(16));
  EXPECT_EQ(toHex(keyIv.key), unit["aes_key_hex"].get<std::string>()) << label;
  EXPECT_EQ(toHex(keyIv.iv), unit["aes_iv_hex"].get<std::string>()) << label;

  std::optional<Bytes> body = decryptPacket(key, x, packet);
  ASSERT_TRUE(body) << label;
  EXPECT_EQ(toHex(*body), unit["decrypted_body_hex"].get<std::string>()) << label;
  EXPECT_FALSE(decryptPacket(key, senderOwnRoleX, packet)) << label;
  EXPECT_EQ(encryptPacket(key, x, *body), packet) << label;
}

TEST(PacketCipher, Transcript10AllPacketsDecryptAndReencryptExactly) {
  auto key = test::transcriptKey("10.0.0");
  int count = 0;
  for (const auto& packet : test::transcript("10.0.0")["packets"]) {
    checkTranscriptUnit(*key, packet, fromHex(packet["hex"].get<std::string>()),
                        "10.0.0 packet " + std::to_string(packet["index"].get<int>()));
    ++count;
  }
  EXPECT_EQ(count, 18);
}

TEST(PacketCipher, Transcript11AllMessagesDecryptAndReencryptExactly) {
  auto key = test::transcriptKey("11.0.0");
  int count = 0;
  for (const auto& packet : test::transcript("11.0.0")["packets"]) {
    for (const auto& message : packet["messages"]) {
      checkTranscriptUnit(*key, message, fromHex(message["encrypted_hex"].get<std::string>()),
                          "11.0.0 packet " + std::to_string(packet["index"].get<int>()));
      ++count;
    }
  }
  EXPECT_EQ(count, 10);
}

TEST(PacketCipher, FlippedBitAnywhereIsRejected) {
  auto key = sequentialKey();
  const Bytes packets[] = {
      fromHex(kVectors[1].packet),
      encryptPacket(*key, 136, Bytes(300, 0x42)),
  };
  const int xs[] = {128, 136};
  for (int n = 0; n < 2; ++n) {
    const Bytes& packet = packets[n];
    ASSERT_TRUE(decryptPacket(*key, xs[n], packet));
    for (std::size_t bit = 0; bit < packet.size() * 8; ++bit) {
      Bytes tampered = packet;
      tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      EXPECT_FALSE(decryptPacket(*key, xs[n], tampered)) << "bit " << bit;
    }
  }
}

TEST(PacketCipher, TruncatedOrExtendedPacketsAreRejected) {
  auto key = sequentialKey();
  const Bytes packet = fromHex(kVectors[1].packet);
  for (std::size_t size = 0; size < packet.size(); ++size) {
    EXPECT_FALSE(decryptPacket(*key, 128, ByteView(packet).first(size))) << size;
  }
  Bytes extended = packet;
  extended.push_back(0);
  EXPECT_FALSE(decryptPacket(*key, 128, extended));
}

TEST(PacketCipher, AcceptsSizes21To131072Only) {
  auto key = sequentialKey();
  const Bytes smallest = encryptPacket(*key, 128, Bytes(5, 7));
  ASSERT_EQ(smallest.size(), 21u);
  EXPECT_TRUE(decryptPacket(*key, 128, smallest));
  const Bytes tooSmall = encryptPacket(*key, 128, Bytes(4, 7));
  EXPECT_FALSE(decryptPacket(*key, 128, tooSmall));  // authentic, but below the minimum
  const Bytes largest = encryptPacket(*key, 128, Bytes(131072 - 16, 7));
  EXPECT_TRUE(decryptPacket(*key, 128, largest));
  const Bytes tooLarge = encryptPacket(*key, 128, Bytes(131072 - 15, 7));
  EXPECT_FALSE(decryptPacket(*key, 128, tooLarge));
}

TEST(PacketCipher, WrongKeySizeOrOffsetIsAProgrammerError) {
  const Bytes shortKey(255, 1);
  try {
    encryptPacket(shortKey, 128, Bytes(10, 0));
    FAIL();
  } catch (const CryptoError& e) {
    EXPECT_EQ(e.code(), "INVALID_ARGUMENT");
  }
  EXPECT_THROW(decryptPacket(shortKey, 128, Bytes(30, 0)), CryptoError);
  auto key = sequentialKey();
  for (int x : {-8, 1, 64, 137, 144, 256}) {
    EXPECT_THROW(encryptPacket(*key, x, Bytes(10, 0)), CryptoError) << x;
    EXPECT_THROW(decryptPacket(*key, x, Bytes(30, 0)), CryptoError) << x;
  }
}

TEST(PacketCipher, DifferentKeysDoNotDecryptEachOther) {
  auto key = sequentialKey();
  Bytes otherBytes = test::sequentialKeyBytes();
  otherBytes[200] ^= 1;  // inside key[88+128, 120+128): the msg_key slice for x = 128
  const CallKey other = CallKey::fromBytes(otherBytes);
  const Bytes packet = encryptPacket(*key, 128, Bytes(50, 3));
  EXPECT_FALSE(decryptPacket(other, 128, packet));
}

}  // namespace
}  // namespace tgcalls
