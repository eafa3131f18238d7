import { Agent, fetch as undiciFetch } from 'undici';
import { type EgressGuard } from '@aigw/core';

const fetchers = new WeakMap<EgressGuard, typeof fetch>();

/**
 * `fetch` for MCP upstreams and token endpoints under the egress guard: internal addresses are
 * refused unless allowed (the URL's literal host now, every resolved address at connect time),
 * and redirects are refused rather than followed, so an upstream cannot bounce a call inside.
 */
export function egressFetch(guard: EgressGuard): typeof fetch {
  let guarded = fetchers.get(guard);
  if (!guarded) {
    const agent = new Agent({ connect: { lookup: guard.lookup } });
    guarded = async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' || input instanceof URL ? input : input.url;
      guard.checkUrl(url);
      const response = await undiciFetch(url, {
        ...(init as object),
        dispatcher: agent,
        redirect: 'error',
      });
      return response;
    };
    fetchers.set(guard, guarded);
  }
  return guarded;
}
