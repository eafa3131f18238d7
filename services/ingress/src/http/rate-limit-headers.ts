import { type LimitWindow, type RateLimitState } from '@aigw/contracts';
import { type FastifyReply } from 'fastify';

/**
 * Sets OpenAI's rate-limit headers from policy's state: `x-ratelimit-{limit,remaining,reset}-
 * {requests,tokens}` for the tightest applicable limits, and on a refusal `retry-after`
 * (seconds) and `retry-after-ms`, which the OpenAI SDKs honour.
 */
export function setRateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  setWindow(reply, 'requests', state.requests);
  setWindow(reply, 'tokens', state.tokens);
  if (state.retryAfterMs > 0) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(state.retryAfterMs / 1000))));
    reply.header('retry-after-ms', String(state.retryAfterMs));
  }
}

function setWindow(reply: FastifyReply, name: string, window: LimitWindow | undefined): void {
  if (!window) return;
  reply.header(`x-ratelimit-limit-${name}`, String(window.limit));
  reply.header(`x-ratelimit-remaining-${name}`, String(window.remaining));
  reply.header(`x-ratelimit-reset-${name}`, durationText(window.resetMs));
}

/** A duration as OpenAI writes it: "120ms", "1s", "6m0s", "1h2m3.5s". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round((ms % 60_000) / 10) / 100;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
