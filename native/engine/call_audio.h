// One call's audio, paced by the process-wide AudioClock.
//
// Outgoing: CallAudioSource is the WebRTC audio source of the call's track. Every 10 ms it
// takes 480 samples (48 kHz mono) from the call's input — a bounded queue JavaScript pushes
// into, or a WAV or Ogg Opus file read natively — and hands them to WebRTC, which encodes them.
// Incoming: CallAudioSink is attached to the remote audio track(s); WebRTC calls it with each
// decoded 10 ms frame, which goes to a WAV or Ogg Opus file and/or to JavaScript (bounded,
// lossy). File formats are media/audio_file's business: nothing here depends on them.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/media_stream_interface.h"
#include "api/notifier.h"
#include "api/scoped_refptr.h"
#include "engine/audio_clock.h"
#include "media/audio_file.h"
#include "media/pcm_frame_queue.h"

namespace webrtc {
class AudioProcessing;
}

namespace tgcalls {

inline constexpr size_t kSamplesPerFrame = 480;  // 10 ms at 48 kHz

struct CallAudioOptions {
  // Files are WAV or Ogg Opus: read by content, written by extension (media/audio_file.h).
  std::string inputPath;  // empty: audio comes from pushAudio()
  bool loopInput = false;
  std::string outputPath;  // empty: no recording
  // Stereo recording of both directions, aligned on the audio clock: left what we sent,
  // right what we heard.
  std::string conversationPath;
  size_t inputQueueSamples = 48000;  // 1 s of pushed audio at most
  // WebRTC's audio processing on what we send; all off by default (bots want the audio
  // untouched). Echo cancellation uses the received audio as its reference.
  bool echoCancellation = false;
  bool noiseSuppression = false;
  bool gainControl = false;
};

struct CallAudioCounters {
  uint64_t framesSent = 0;
  uint64_t framesReceived = 0;
  uint64_t inputUnderruns = 0;
  uint64_t receivedSilentFrames = 0;
  // Received frames the incoming listener could not take (JavaScript fell behind): they are
  // in the recording, if any, but never reached the 'audio' event.
  uint64_t receivedFramesDropped = 0;
};

// Shared by the source, the sink and the call. Thread-safe.
class CallAudio {
 public:
  // Throws MediaFileError for unusable file paths.
  explicit CallAudio(const CallAudioOptions& options);
  ~CallAudio();

  // Called on the audio clock thread.
  void readOutgoing(int16_t* frame);
  void writeIncoming(const int16_t* frame, size_t samples);

  // JavaScript input; false when the queue is full (try again later) or a file is the input.
  bool pushAudio(const int16_t* samples, size_t count);

  // Switching the source takes effect at the next 10 ms frame boundary: no glitch, no gap.
  // Throws MediaFileError for an unusable file (the current source then stays).
  void useFileInput(const std::string& path, bool loop);
  void usePushedInput();
  // A paused source is not consumed; silence is sent meanwhile.
  void setPaused(bool paused);
  void setGain(float gain);
  // Called (audio clock thread) when the source runs dry: a non-looping file ended, or
  // pushed audio stopped coming. Once per dry spell.
  void setDrainedListener(std::function<void()> listener);
  size_t queuedInputSamples() const { return inputQueue_.queuedSamples(); }

  // Received audio to JavaScript (in addition to any recording). Set before the call starts.
  // The listener returns false when it had to drop the frame; such frames are counted.
  void setIncomingListener(std::function<bool(const int16_t*, size_t)> listener);
  // Peak levels of the last 100 ms, 0..1, reported every 100 ms.
  void setLevelListener(std::function<void(float outgoing, float incoming)> listener);

  // When the call ends: finishes the recordings and closes the input file, so neither waits
  // for the garbage collector to free the call. The call sends nothing afterwards.
  void closeFiles();
  CallAudioCounters counters() const;

 private:
  void accountLevel(const int16_t* frame, size_t samples, bool outgoing);

  PcmFrameQueue inputQueue_;
  std::mutex inputMutex_;  // guards the input selection below against switches
  bool filesClosed_ = false;
  std::unique_ptr<AudioFileReader> inputFile_;
  bool paused_ = false;
  float gain_ = 1.0f;
  bool drained_ = false;      // the source is dry now (reported once)
  bool inputFlowed_ = false;  // pushed audio has arrived since the last dry spell
  std::function<void()> drainedListener_;
  std::unique_ptr<AudioFileWriter> conversation_;
  int16_t lastHeard_[kSamplesPerFrame] = {};
  // Only set when some processing is on; used on the audio clock thread only.
  rtc::scoped_refptr<webrtc::AudioProcessing> processing_;
  mutable std::mutex mutex_;  // guards the members below
  std::unique_ptr<AudioFileWriter> recording_;
  std::function<bool(const int16_t*, size_t)> incomingListener_;
  std::function<void(float, float)> levelListener_;
  CallAudioCounters counters_;
  int outgoingPeak_ = 0;
  int incomingPeak_ = 0;
  uint64_t levelFrames_ = 0;
};

// The track source WebRTC pulls nothing from: we push 10 ms frames to its sinks on each tick.
class CallAudioSource : public webrtc::Notifier<webrtc::AudioSourceInterface>,
                        public AudioClock::Listener {
 public:
  explicit CallAudioSource(std::shared_ptr<CallAudio> audio) : audio_(std::move(audio)) {}

  SourceState state() const override { return kLive; }
  bool remote() const override { return false; }
  void AddSink(webrtc::AudioTrackSinkInterface* sink) override;
  void RemoveSink(webrtc::AudioTrackSinkInterface* sink) override;

  void onAudioTick(uint64_t tick) override;

 private:
  std::shared_ptr<CallAudio> audio_;
  std::mutex mutex_;  // held while frames are delivered, so a removed sink is never called
  std::vector<webrtc::AudioTrackSinkInterface*> sinks_;
};

class CallAudioSink : public webrtc::AudioTrackSinkInterface {
 public:
  explicit CallAudioSink(std::shared_ptr<CallAudio> audio) : audio_(std::move(audio)) {}
  void OnData(const void* data, int bitsPerSample, int sampleRate, size_t channels,
              size_t frames) override;

 private:
  std::shared_ptr<CallAudio> audio_;
  std::vector<int16_t> mono_;
};

}  // namespace tgcalls
