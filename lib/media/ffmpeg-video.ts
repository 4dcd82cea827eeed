/**
 * Video from and to anything ffmpeg reads or writes: a source that sends a file, URL or
 * device into a call, and a sink that records the video a call receives (docs/media.md).
 */
export {
  sendVideoWithFfmpeg,
  type FfmpegVideoSource,
  type FfmpegVideoSourceOptions,
  type VideoSourceSummary,
} from './ffmpeg-video-source';
export {
  recordVideoWithFfmpeg,
  type FfmpegVideoRecording,
  type FfmpegVideoSinkOptions,
  type VideoRecordingSummary,
} from './ffmpeg-video-sink';
