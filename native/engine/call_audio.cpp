#include "engine/call_audio.h"

#include <algorithm>
#include <cstdlib>

#include "modules/audio_processing/include/audio_processing.h"

namespace tgcalls {
namespace {
constexpr uint64_t kLevelFrames = 10;  // report levels every 100 ms

int peakOf(const int16_t* frame, size_t samples) {
  int peak = 0;
  for (size_t i = 0; i < samples; ++i) peak = std::max(peak, std::abs(static_cast<int>(frame[i])));
  return peak;
}
}  // namespace

CallAudio::CallAudio(const CallAudioOptions& options) : inputQueue_(options.inputQueueSamples) {
  if (!options.inputPath.empty()) {
    inputFile_ = openAudioFileReader(options.inputPath, options.loopInput);
  }
  if (!options.outputPath.empty()) recording_ = createAudioFileWriter(options.outputPath);
  if (!options.conversationPath.empty()) {
    conversation_ = createAudioFileWriter(options.conversationPath, 48000, 2);
  }
  if (options.echoCancellation || options.noiseSuppression || options.gainControl) {
    webrtc::AudioProcessing::Config config;
    config.echo_canceller.enabled = options.echoCancellation;
    config.noise_suppression.enabled = options.noiseSuppression;
    config.gain_controller2.enabled = options.gainControl;
    config.gain_controller2.adaptive_digital.enabled = options.gainControl;
    config.high_pass_filter.enabled = options.echoCancellation || options.noiseSuppression;
    processing_ = webrtc::AudioProcessingBuilder().Create();
    processing_->ApplyConfig(config);
  }
}

CallAudio::~CallAudio() = default;

void CallAudio::readOutgoing(int16_t* frame) {
  bool underrun = false;
  bool nowDrained = false;
  std::function<void()> drainedListener;
  {
    std::lock_guard<std::mutex> lock(inputMutex_);
    if (paused_) {
      std::fill(frame, frame + kSamplesPerFrame, int16_t{0});
    } else if (inputFile_) {
      inputFile_->read(frame, kSamplesPerFrame);
      nowDrained = inputFile_->finished();
    } else {
      underrun = inputQueue_.pull(frame, kSamplesPerFrame) < kSamplesPerFrame;
      if (!underrun) inputFlowed_ = true;
      nowDrained = underrun && inputFlowed_;
      if (nowDrained) inputFlowed_ = false;
    }
    if (gain_ != 1.0f) {
      for (size_t i = 0; i < kSamplesPerFrame; ++i) {
        frame[i] = static_cast<int16_t>(std::clamp(frame[i] * gain_, -32768.0f, 32767.0f));
      }
    }
    if (nowDrained && !drained_) drainedListener = drainedListener_;
    if (nowDrained) drained_ = true;
    if (!underrun && !(inputFile_ && inputFile_->finished())) drained_ = false;
  }
  if (drainedListener) drainedListener();
  if (processing_) {
    const webrtc::StreamConfig mono(48000, 1);
    processing_->set_stream_delay_ms(0);  // capture and render run on the same native clock
    processing_->ProcessStream(frame, mono, mono, frame);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (conversation_) {
    // What we heard during the previous tick lines up with what we send now.
    int16_t stereo[2 * kSamplesPerFrame];
    for (size_t i = 0; i < kSamplesPerFrame; ++i) {
      stereo[2 * i] = frame[i];
      stereo[2 * i + 1] = lastHeard_[i];
    }
    conversation_->write(stereo, 2 * kSamplesPerFrame);
    std::fill(std::begin(lastHeard_), std::end(lastHeard_), int16_t{0});
  }
  ++counters_.framesSent;
  if (underrun) ++counters_.inputUnderruns;
  accountLevel(frame, kSamplesPerFrame, true);
}

void CallAudio::writeIncoming(const int16_t* frame, size_t samples) {
  if (processing_ && samples == kSamplesPerFrame) {
    // The far end's audio is the echo canceller's reference.
    const webrtc::StreamConfig mono(48000, 1);
    int16_t reference[kSamplesPerFrame];
    processing_->ProcessReverseStream(frame, mono, mono, reference);
  }
  std::function<bool(const int16_t*, size_t)> listener;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counters_.framesReceived;
    if (peakOf(frame, samples) == 0) ++counters_.receivedSilentFrames;
    accountLevel(frame, samples, false);
    if (recording_) recording_->write(frame, samples);
    if (conversation_ && samples == kSamplesPerFrame) std::copy(frame, frame + samples, lastHeard_);
    listener = incomingListener_;
  }
  // Called without the lock: the listener may take its time (it copies the frame).
  if (listener && !listener(frame, samples)) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counters_.receivedFramesDropped;
  }
}

bool CallAudio::pushAudio(const int16_t* samples, size_t count) {
  {
    std::lock_guard<std::mutex> lock(inputMutex_);
    if (inputFile_) return false;
  }
  return inputQueue_.push(samples, count);
}

void CallAudio::useFileInput(const std::string& path, bool loop) {
  std::unique_ptr<AudioFileReader> reader =
      openAudioFileReader(path, loop);  // may throw: nothing changes
  std::lock_guard<std::mutex> lock(inputMutex_);
  if (filesClosed_) return;  // the call ended: the new reader closes right away
  inputFile_.swap(reader);   // the old reader closes when `reader` goes, after the lock
  drained_ = false;
}

void CallAudio::usePushedInput() {
  std::unique_ptr<AudioFileReader> old;
  std::lock_guard<std::mutex> lock(inputMutex_);
  old.swap(inputFile_);
  inputQueue_.clear();
  inputFlowed_ = false;
  drained_ = false;
}

void CallAudio::setPaused(bool paused) {
  std::lock_guard<std::mutex> lock(inputMutex_);
  paused_ = paused;
}

void CallAudio::setGain(float gain) {
  std::lock_guard<std::mutex> lock(inputMutex_);
  gain_ = std::clamp(gain, 0.0f, 16.0f);
}

void CallAudio::setDrainedListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(inputMutex_);
  drainedListener_ = std::move(listener);
}

void CallAudio::setIncomingListener(std::function<bool(const int16_t*, size_t)> listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  incomingListener_ = std::move(listener);
}

void CallAudio::setLevelListener(std::function<void(float, float)> listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  levelListener_ = std::move(listener);
}

void CallAudio::closeFiles() {
  std::unique_ptr<AudioFileReader> input;
  {
    std::lock_guard<std::mutex> lock(inputMutex_);
    input.swap(inputFile_);
    filesClosed_ = true;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (recording_) recording_->close();
  if (conversation_) conversation_->close();
}

CallAudioCounters CallAudio::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  CallAudioCounters counters = counters_;
  return counters;
}

// Called with mutex_ held. Outgoing frames drive the 100 ms reporting period.
void CallAudio::accountLevel(const int16_t* frame, size_t samples, bool outgoing) {
  int& peak = outgoing ? outgoingPeak_ : incomingPeak_;
  peak = std::max(peak, peakOf(frame, samples));
  if (!outgoing || ++levelFrames_ % kLevelFrames != 0) return;
  if (levelListener_) levelListener_(outgoingPeak_ / 32768.0f, incomingPeak_ / 32768.0f);
  outgoingPeak_ = 0;
  incomingPeak_ = 0;
}

void CallAudioSource::AddSink(webrtc::AudioTrackSinkInterface* sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::find(sinks_.begin(), sinks_.end(), sink) == sinks_.end()) sinks_.push_back(sink);
}

void CallAudioSource::RemoveSink(webrtc::AudioTrackSinkInterface* sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), sink), sinks_.end());
}

void CallAudioSource::onAudioTick(uint64_t) {
  int16_t frame[kSamplesPerFrame];
  audio_->readOutgoing(frame);
  std::lock_guard<std::mutex> lock(mutex_);
  for (webrtc::AudioTrackSinkInterface* sink : sinks_) {
    sink->OnData(frame, 16, 48000, 1, kSamplesPerFrame);
  }
}

void CallAudioSink::OnData(const void* data, int bitsPerSample, int sampleRate, size_t channels,
                           size_t frames) {
  if (bitsPerSample != 16 || channels == 0 || frames == 0) return;
  const auto* samples = static_cast<const int16_t*>(data);
  // Downmix to mono; resample (linear) when the decoder runs at another rate.
  const size_t outFrames = sampleRate == 48000 ? frames : frames * 48000 / sampleRate;
  mono_.resize(outFrames);
  for (size_t i = 0; i < outFrames; ++i) {
    const double position = sampleRate == 48000 ? i : static_cast<double>(i) * sampleRate / 48000;
    const size_t index = std::min(static_cast<size_t>(position), frames - 1);
    int sum = 0;
    for (size_t c = 0; c < channels; ++c) sum += samples[index * channels + c];
    mono_[i] = static_cast<int16_t>(sum / static_cast<int>(channels));
  }
  audio_->writeIncoming(mono_.data(), mono_.size());
}

}  // namespace tgcalls
