#include "webrtc/dtls_certificate.h"

#include <memory>

#include "rtc_base/rtc_certificate_generator.h"
#include "rtc_base/ssl_fingerprint.h"

namespace tgcalls {

std::string generateDtlsCertificateFingerprint() {
  rtc::scoped_refptr<rtc::RTCCertificate> certificate =
      rtc::RTCCertificateGenerator::GenerateCertificate(rtc::KeyParams::ECDSA(rtc::EC_NIST_P256),
                                                        absl::nullopt);
  if (!certificate) return {};
  std::unique_ptr<rtc::SSLFingerprint> fingerprint =
      rtc::SSLFingerprint::CreateFromCertificate(*certificate);
  if (!fingerprint || fingerprint->algorithm != "sha-256") return {};
  return fingerprint->GetRfc4572Fingerprint();
}

}  // namespace tgcalls
