// The process-wide audio device of the shared PeerConnectionFactory. It never records (each
// call sends its own audio through its track's source, see call_audio.h) and it pulls
// playout every 10 ms only to make WebRTC decode every receive stream: each call takes its
// own decoded audio from its remote track's sink. The mixed output is discarded.
#pragma once

#include <mutex>

#include "engine/audio_clock.h"
#include "modules/audio_device/include/audio_device.h"
#include "modules/audio_device/include/audio_device_default.h"

namespace tgcalls {

class PlayoutPump : public webrtc::webrtc_impl::AudioDeviceModuleDefault<webrtc::AudioDeviceModule>,
                    public AudioClock::Listener {
 public:
  int32_t RegisterAudioCallback(webrtc::AudioTransport* transport) override;
  int32_t StartPlayout() override;
  int32_t StopPlayout() override;
  bool Playing() const override;
  int32_t Terminate() override;
  int32_t StereoPlayoutIsAvailable(bool* available) const override;
  int32_t StereoRecordingIsAvailable(bool* available) const override;
  int32_t PlayoutIsAvailable(bool* available) override;
  int32_t RecordingIsAvailable(bool* available) override;

  void onAudioTick(uint64_t tick) override;

 private:
  mutable std::mutex mutex_;
  webrtc::AudioTransport* transport_ = nullptr;
  bool playing_ = false;
};

}  // namespace tgcalls
