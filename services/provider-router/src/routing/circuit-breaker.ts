/** Breaker settings of one target, resolved from target, provider and defaults. */
export interface CircuitBreakerSettings {
  readonly enabled: boolean;
  /** Consecutive failed tries that open the breaker. */
  readonly failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  readonly coolDownMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * One target's circuit breaker: closed → open after N consecutive failures → half-open after the
 * cool-down, letting exactly one probe through → closed on its success, open again on its failure.
 * Every `tryAcquire()` that returned true must end in `recordSuccess`, `recordFailure` or `release`.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(private settings: CircuitBreakerSettings) {}

  /** Settings from a reloaded config; the state carries over. */
  configure(settings: CircuitBreakerSettings): void {
    this.settings = settings;
  }

  current(now: number): CircuitState {
    if (this.state === 'open' && now - this.openedAt >= this.settings.coolDownMs) {
      return 'half_open';
    }
    return this.state;
  }

  /** Whether a call may go out now. */
  tryAcquire(now: number): boolean {
    if (!this.settings.enabled) return true;
    switch (this.current(now)) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half_open':
        if (this.probing) return false;
        this.state = 'half_open';
        this.probing = true;
        return true;
    }
  }

  recordSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probing = false;
  }

  recordFailure(now: number): void {
    this.failures += 1;
    this.probing = false;
    if (!this.settings.enabled) return;
    if (this.state === 'half_open' || this.failures >= this.settings.failureThreshold) {
      this.state = 'open';
      this.openedAt = now;
    }
  }

  /** A call that ended without a verdict (the client went away): let the next probe through. */
  release(): void {
    this.probing = false;
  }
}

/** The breakers of one router process, one per target (provider + model). */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  get(provider: string, model: string, settings: CircuitBreakerSettings): CircuitBreaker {
    const key = `${provider}\u0000${model}`;
    let breaker = this.breakers.get(key);
    if (breaker) {
      breaker.configure(settings);
    } else {
      breaker = new CircuitBreaker(settings);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}
