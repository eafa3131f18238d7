import { type FastifyRequest } from 'fastify';

/** An endpoint as the models routes list it. */
export interface ListedEndpoint {
  readonly name: string;
  /** Unix seconds. */
  readonly created: number;
}

/**
 * Anthropic clients (Claude Code, the Anthropic SDK) send `anthropic-version` on every call;
 * they read `/v1/models` in Anthropic's shape, everything else in OpenAI's.
 */
export function wantsAnthropicShape(request: FastifyRequest): boolean {
  return request.headers['anthropic-version'] !== undefined;
}

export function openAiModel(endpoint: ListedEndpoint): Record<string, unknown> {
  return { id: endpoint.name, object: 'model', created: endpoint.created, owned_by: 'aigw' };
}

export function anthropicModel(endpoint: ListedEndpoint): Record<string, unknown> {
  return {
    type: 'model',
    id: endpoint.name,
    display_name: endpoint.name,
    created_at: new Date(endpoint.created * 1000).toISOString(),
  };
}

/** Anthropic's list page: every endpoint on one page. */
export function anthropicModelList(endpoints: readonly ListedEndpoint[]): Record<string, unknown> {
  return {
    data: endpoints.map(anthropicModel),
    has_more: false,
    first_id: endpoints[0]?.name ?? null,
    last_id: endpoints.at(-1)?.name ?? null,
  };
}
