/** Ctrl-C as an AbortSignal, so that a command hangs up cleanly instead of dying mid-call. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
    },
  };
}

/** The shell's convention for a command ended by SIGINT. */
export const interruptedExitCode = 130;
