#include "webrtc/log_router.h"

#include <algorithm>

namespace tgcalls {
namespace {
rtc::LoggingSeverity toSeverity(LogLevel level) {
  return static_cast<rtc::LoggingSeverity>(static_cast<int>(level));
}

LogLevel toLevel(rtc::LoggingSeverity severity) {
  return static_cast<LogLevel>(std::clamp(static_cast<int>(severity), 0, 4));
}
}  // namespace

LogRouter& LogRouter::instance() {
  // Never destroyed: WebRTC threads may log during process exit.
  static LogRouter* router = new LogRouter();
  return *router;
}

LogRouter::LogRouter() {
  rtc::LogMessage::LogToDebug(rtc::LS_NONE);
  rtc::LogMessage::SetLogToStderr(false);
  rtc::LogMessage::LogTimestamps(false);
  rtc::LogMessage::LogThreads(false);
}

uint64_t LogRouter::subscribe(LogLevel level, Subscriber subscriber) {
  if (level == LogLevel::None) return 0;
  std::lock_guard<std::mutex> install(installMutex_);
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = nextId_++;
    subscribers_.emplace(id, Entry{level, std::move(subscriber)});
  }
  reinstall();
  return id;
}

void LogRouter::unsubscribe(uint64_t id) {
  if (id == 0) return;
  std::lock_guard<std::mutex> install(installMutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (subscribers_.erase(id) == 0) return;
  }
  reinstall();
}

// WebRTC formats a line only when some sink wants its severity, so the sink is registered at
// the lowest level any subscriber asked for, and removed when nobody listens.
void LogRouter::reinstall() {
  LogLevel lowest = LogLevel::None;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, entry] : subscribers_) lowest = std::min(lowest, entry.level);
  }
  if (installed_) {
    rtc::LogMessage::RemoveLogToStream(this);
    installed_ = false;
  }
  if (lowest == LogLevel::None) return;
  rtc::LogMessage::AddLogToStream(this, toSeverity(lowest));
  installed_ = true;
}

void LogRouter::OnLogMessage(const std::string& message, rtc::LoggingSeverity severity) {
  deliver(message, severity);
}

void LogRouter::OnLogMessage(absl::string_view message, rtc::LoggingSeverity severity) {
  deliver(message, severity);
}

void LogRouter::OnLogMessage(const std::string& message) { deliver(message, rtc::LS_INFO); }

void LogRouter::OnLogMessage(absl::string_view message) { deliver(message, rtc::LS_INFO); }

void LogRouter::deliver(absl::string_view message, rtc::LoggingSeverity severity) {
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
    message.remove_suffix(1);
  }
  const LogLevel level = toLevel(severity);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, entry] : subscribers_) {
    if (level >= entry.level) entry.subscriber(level, std::string(message));
  }
}

}  // namespace tgcalls
