// One call's video: a track source JavaScript pushes I420 frames into, and a sink on the remote
// video track that counts what arrives and can hand frames back to JavaScript.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "api/video/video_frame.h"
#include "api/video/video_sink_interface.h"
#include "media/base/adapted_video_track_source.h"

namespace tgcalls {

struct VideoFrameInfo {
  int width = 0;
  int height = 0;
  int rotation = 0;
  int64_t timestampUs = 0;
};

class PushedVideoSource : public rtc::AdaptedVideoTrackSource {
 public:
  // Copies a packed I420 frame (Y, then U, then V planes without padding) into WebRTC.
  // False when the size does not match width x height.
  bool pushI420(int width, int height, const uint8_t* data, size_t size, int64_t timestampUs);

  SourceState state() const override { return kLive; }
  bool remote() const override { return false; }
  bool is_screencast() const override { return false; }
  absl::optional<bool> needs_denoising() const override { return false; }
};

class RemoteVideoSink : public rtc::VideoSinkInterface<webrtc::VideoFrame> {
 public:
  // Called on a WebRTC decoding thread with each frame as packed I420.
  using Listener = std::function<void(const VideoFrameInfo&, std::vector<uint8_t>)>;

  void setListener(Listener listener);
  void OnFrame(const webrtc::VideoFrame& frame) override;

  uint64_t framesReceived() const;
  VideoFrameInfo lastFrame() const;

 private:
  mutable std::mutex mutex_;
  Listener listener_;
  uint64_t frames_ = 0;
  VideoFrameInfo last_;
};

}  // namespace tgcalls
