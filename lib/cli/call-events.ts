/** Promises for the moments of a call the commands wait for. */
import type { CallEndInfo } from '../calls/events';
import type { PhoneCall } from '../calls/phone-call';

/** True once `call` is established; false when it ends before that. */
export function untilEstablished(call: PhoneCall): Promise<boolean> {
  if (call.state === 'established') return Promise.resolve(true);
  if (call.state === 'ended') return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const onState = (state: string): void => {
      if (state === 'established') done(true);
    };
    const onEnded = (): void => {
      done(false);
    };
    const done = (established: boolean): void => {
      call.off('state', onState);
      call.off('ended', onEnded);
      resolve(established);
    };
    call.on('state', onState);
    call.once('ended', onEnded);
  });
}

export function untilEnded(call: PhoneCall): Promise<CallEndInfo> {
  const info = call.endInfo;
  if (info !== undefined) return Promise.resolve(info);
  return new Promise<CallEndInfo>((resolve) => call.once('ended', resolve));
}

/** Resolves after `seconds`, or never when `seconds` is undefined; stop() clears the timer. */
export function delay(seconds: number | undefined): { elapsed: Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    if (seconds !== undefined) timer = setTimeout(resolve, seconds * 1000);
  });
  return {
    elapsed,
    stop: () => {
      clearTimeout(timer);
    },
  };
}

/** Resolves when `signal` aborts (Ctrl-C); never without one. */
export function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
  });
}
