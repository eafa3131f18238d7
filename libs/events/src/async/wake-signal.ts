/**
 * Lets a background loop sleep until something changed, without polling: `wait()` resolves on
 * the next `notify()` (or after an optional timeout). Waiting never keeps the process alive.
 */
export class WakeSignal {
  private readonly waiters = new Set<() => void>();

  /** Wakes every loop currently waiting. */
  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify(), or after `timeoutMs` if given. */
  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = (): void => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
      if (timeoutMs !== undefined) {
        timer = setTimeout(wake, timeoutMs);
        timer.unref();
      }
    });
  }
}
