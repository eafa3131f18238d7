/** Why one try at a provider failed; decides whether the router moves on to the next target. */
export type ProviderErrorClass =
  'connection' | 'timeout' | 'rate_limited' | 'upstream_5xx' | 'client_4xx' | 'malformed_response';

export class ProviderError extends Error {
  constructor(
    readonly errorClass: ProviderErrorClass,
    message: string,
    /** Upstream HTTP status, 0 when there was no response. */
    readonly status: number = 0,
    /** The upstream error body when it was a 4xx caused by the request (passed to the client). */
    readonly upstreamBody?: Buffer,
    /** How long the provider asked us to wait (`Retry-After`), in ms, when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** Failures worth trying the next target for; a request the provider rejected as invalid is not. */
  get retriable(): boolean {
    return this.errorClass !== 'client_4xx';
  }
}

/** Classifies an upstream HTTP status that is not 2xx. */
export function errorClassOfStatus(status: number): ProviderErrorClass {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'upstream_5xx';
  return 'client_4xx';
}
