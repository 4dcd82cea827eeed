// Routes WebRTC's process-wide log output to subscribers (one per JavaScript logger).
//
// WebRTC's own stderr output is switched off for good; a line reaches a subscriber only when
// its severity is at least the level that subscriber asked for, so an unset logger costs
// nothing and prints nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "rtc_base/logging.h"

namespace tgcalls {

enum class LogLevel { Verbose = 0, Info = 1, Warning = 2, Error = 3, None = 4 };

class LogRouter final : public rtc::LogSink {
 public:
  using Subscriber = std::function<void(LogLevel, std::string)>;

  static LogRouter& instance();

  // Returns an id for unsubscribe(). Level None subscribes to nothing and returns 0.
  uint64_t subscribe(LogLevel level, Subscriber subscriber);
  void unsubscribe(uint64_t id);

  void OnLogMessage(const std::string& message, rtc::LoggingSeverity severity) override;
  void OnLogMessage(const std::string& message) override;
  void OnLogMessage(absl::string_view message, rtc::LoggingSeverity severity) override;
  void OnLogMessage(absl::string_view message) override;

 private:
  LogRouter();
  void deliver(absl::string_view message, rtc::LoggingSeverity severity);
  void reinstall();

  // Lock order: WebRTC holds its own log mutex while it calls the sink, and the sink takes
  // mutex_. Registering the sink with WebRTC takes WebRTC's log mutex, so it happens under
  // installMutex_ only, never under mutex_.
  std::mutex installMutex_;
  std::mutex mutex_;
  struct Entry {
    LogLevel level;
    Subscriber subscriber;
  };
  std::map<uint64_t, Entry> subscribers_;
  uint64_t nextId_ = 1;
  bool installed_ = false;
};

}  // namespace tgcalls
