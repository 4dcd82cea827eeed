/*
 * The floor of a call's audio cost: only encoding and decoding its audio with libopus, with
 * the settings WebRTC gives the engine's Opus encoder, nothing else (no RTP, SRTP, sockets,
 * jitter buffer, mixing or threads). bench/run.ts builds it into build/bench/opus-floor.
 *
 *   opus-floor STREAMS SECONDS   ->   one JSON line on stdout
 *
 * Each stream is one direction of a call: a tone (a different frequency per stream) in 20 ms
 * frames of 48 kHz mono, encoded and the packet decoded, streams interleaved frame by frame as
 * they would be in real time, as fast as possible. Settings (WebRTC's AudioEncoderOpusConfig
 * defaults and the SDP the engine negotiates): VOIP application, 32000 bps (the engine caps
 * audio at 32768 bps, above WebRTC's 32000 default), complexity 9 (WebRTC's default on x86
 * desktop), VBR, in-band FEC on (useinbandfec=1) with 0 % expected loss (a clean loopback),
 * DTX off, fullband; the decoder at 48 kHz mono.
 */
#include <math.h>
#include <opus/opus.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RATE 48000
#define FRAME (RATE / 50) /* 20 ms */
#define MAX_PACKET 1500

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(int error, const char *what) {
  if (error != OPUS_OK) {
    fprintf(stderr, "opus-floor: %s: %s\n", what, opus_strerror(error));
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: opus-floor STREAMS SECONDS\n");
    return 2;
  }
  const int streams = atoi(argv[1]);
  const double seconds = atof(argv[2]);
  const int frames = (int)(seconds * 50 + 0.5);
  if (streams <= 0 || frames <= 0) {
    fprintf(stderr, "opus-floor: STREAMS and SECONDS must be positive\n");
    return 2;
  }

  OpusEncoder **encoders = calloc((size_t)streams, sizeof *encoders);
  OpusDecoder **decoders = calloc((size_t)streams, sizeof *decoders);
  /* One second of each stream's tone, looped: 300 Hz + 20 Hz per stream (whole cycles in a
   * second), 0.4 of full scale, like the loopback calls' WAV files. */
  opus_int16 *tones = malloc((size_t)streams * RATE * sizeof *tones);
  if (encoders == NULL || decoders == NULL || tones == NULL) {
    fprintf(stderr, "opus-floor: out of memory\n");
    return 1;
  }
  opus_int16 decoded[FRAME * 6]; /* room for up to 120 ms, as opus_decode requires */
  unsigned char packet[MAX_PACKET];
  int error;
  for (int s = 0; s < streams; s++) {
    encoders[s] = opus_encoder_create(RATE, 1, OPUS_APPLICATION_VOIP, &error);
    check(error, "opus_encoder_create");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_BITRATE(32000)), "bitrate");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_COMPLEXITY(9)), "complexity");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_VBR(1)), "vbr");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_INBAND_FEC(1)), "fec");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_PACKET_LOSS_PERC(0)), "loss");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_DTX(0)), "dtx");
    check(opus_encoder_ctl(encoders[s], OPUS_SET_MAX_BANDWIDTH(OPUS_BANDWIDTH_FULLBAND)),
          "bandwidth");
    decoders[s] = opus_decoder_create(RATE, 1, &error);
    check(error, "opus_decoder_create");
    for (int i = 0; i < RATE; i++) {
      tones[(size_t)s * RATE + i] =
          (opus_int16)lround(0.4 * 32767 * sin(2 * M_PI * (300.0 + 20.0 * s) * i / RATE));
    }
  }

  long long bytes = 0;
  double energy = 0; /* keeps the decode observable */
  const double start = cpu_seconds();
  for (int f = 0; f < frames; f++) {
    for (int s = 0; s < streams; s++) {
      const opus_int16 *pcm = tones + (size_t)s * RATE + (size_t)(f % 50) * FRAME;
      const int length = opus_encode(encoders[s], pcm, FRAME, packet, MAX_PACKET);
      if (length < 0) check(length, "opus_encode");
      bytes += length;
      const int samples = opus_decode(decoders[s], packet, length, decoded, FRAME * 6, 0);
      if (samples < 0) check(samples, "opus_decode");
      energy += decoded[samples / 2];
    }
  }
  const double total = cpu_seconds() - start;

  for (int s = 0; s < streams; s++) {
    opus_encoder_destroy(encoders[s]);
    opus_decoder_destroy(decoders[s]);
  }
  free(encoders);
  free(decoders);
  free(tones);
  printf(
      "{\"streams\":%d,\"audioSeconds\":%.3f,\"cpuSeconds\":%.6f,\"bitrateBps\":%.0f,"
      "\"check\":%.0f,\"opusVersion\":\"%s\"}\n",
      streams, frames / 50.0, total, bytes * 8.0 / (frames / 50.0) / streams, energy,
      opus_get_version_string());
  return 0;
}
