/**
 * A small typed event emitter. Unlike node:events it never throws from emit: an `error`
 * event without listeners is simply not delivered (the call also ends with `ended`, which
 * carries the error), and a listener that throws does not break the call's state machine —
 * its exception is rethrown on the next tick, where it surfaces like any listener error.
 */
type Listener = (...args: never[]) => void;
export type EventMap<Events> = { [E in keyof Events]: Listener };

interface Registration {
  listener: Listener;
  once: boolean;
}

export class TypedEmitter<Events extends EventMap<Events>> {
  readonly #listeners = new Map<keyof Events, Registration[]>();

  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    return this.add(event, listener, false);
  }

  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    return this.add(event, listener, true);
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): this {
    const registrations = this.#listeners.get(event);
    const index = registrations?.findIndex((registration) => registration.listener === listener);
    if (registrations !== undefined && index !== undefined && index >= 0) {
      registrations.splice(index, 1);
    }
    return this;
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Calls the listeners of `event` in registration order; returns whether there were any. */
  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean {
    const registrations = this.#listeners.get(event);
    if (registrations === undefined || registrations.length === 0) return false;
    for (const registration of [...registrations]) {
      if (registration.once) this.off(event, registration.listener as Events[E]);
      try {
        (registration.listener as (...listenerArgs: Parameters<Events[E]>) => void)(...args);
      } catch (error) {
        process.nextTick(() => {
          throw error;
        });
      }
    }
    return true;
  }

  private add<E extends keyof Events>(event: E, listener: Events[E], once: boolean): this {
    const registrations = this.#listeners.get(event) ?? [];
    registrations.push({ listener, once });
    this.#listeners.set(event, registrations);
    return this;
  }
}
