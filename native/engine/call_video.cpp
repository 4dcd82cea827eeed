#include "engine/call_video.h"

#include <cstring>

#include "api/video/i420_buffer.h"

namespace tgcalls {

bool PushedVideoSource::pushI420(int width, int height, const uint8_t* data, size_t size,
                                 int64_t timestampUs) {
  if (width <= 0 || height <= 0 || width > 4096 || height > 4096) return false;
  const int chromaWidth = (width + 1) / 2;
  const int chromaHeight = (height + 1) / 2;
  const size_t lumaSize = static_cast<size_t>(width) * height;
  const size_t chromaSize = static_cast<size_t>(chromaWidth) * chromaHeight;
  if (size != lumaSize + 2 * chromaSize) return false;
  rtc::scoped_refptr<webrtc::I420Buffer> buffer =
      webrtc::I420Buffer::Copy(width, height, data, width, data + lumaSize, chromaWidth,
                               data + lumaSize + chromaSize, chromaWidth);
  OnFrame(webrtc::VideoFrame::Builder()
              .set_video_frame_buffer(buffer)
              .set_timestamp_us(timestampUs)
              .set_rotation(webrtc::kVideoRotation_0)
              .build());
  return true;
}

void RemoteVideoSink::setListener(Listener listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listener_ = std::move(listener);
}

void RemoteVideoSink::OnFrame(const webrtc::VideoFrame& frame) {
  VideoFrameInfo info;
  info.width = frame.width();
  info.height = frame.height();
  info.rotation = static_cast<int>(frame.rotation());
  info.timestampUs = frame.timestamp_us();
  Listener listener;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++frames_;
    last_ = info;
    listener = listener_;
  }
  if (!listener) return;
  rtc::scoped_refptr<webrtc::I420BufferInterface> i420 = frame.video_frame_buffer()->ToI420();
  if (!i420) return;
  const int chromaWidth = (i420->width() + 1) / 2;
  const int chromaHeight = (i420->height() + 1) / 2;
  std::vector<uint8_t> packed(static_cast<size_t>(i420->width()) * i420->height() +
                              2 * static_cast<size_t>(chromaWidth) * chromaHeight);
  uint8_t* out = packed.data();
  auto copyPlane = [&out](const uint8_t* plane, int stride, int width, int height) {
    for (int row = 0; row < height; ++row) {
      std::memcpy(out, plane + static_cast<size_t>(row) * stride, width);
      out += width;
    }
  };
  copyPlane(i420->DataY(), i420->StrideY(), i420->width(), i420->height());
  copyPlane(i420->DataU(), i420->StrideU(), chromaWidth, chromaHeight);
  copyPlane(i420->DataV(), i420->StrideV(), chromaWidth, chromaHeight);
  listener(info, std::move(packed));
}

uint64_t RemoteVideoSink::framesReceived() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frames_;
}

VideoFrameInfo RemoteVideoSink::lastFrame() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_;
}

}  // namespace tgcalls
