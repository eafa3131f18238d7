import { type EgressGuard } from '@aigw/core';
import { type ChatCompletionRequest } from '@aigw/llm-api';
import { OpenAiAdapter } from '../openai/openai.adapter';
import {
  type ProviderAdapter,
  type ProviderCallOptions,
  type ProviderCompletion,
  type ProviderStreamChunk,
} from '../provider-adapter';

export interface AzureOpenAiAdapterOptions {
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  readonly endpoint: string;
  /** Sent as the `api-key` header. */
  readonly apiKey?: string;
  /** The `api-version` query parameter, e.g. `2024-10-21`. */
  readonly apiVersion: string;
  /** Target model → deployment name; a model not listed is its own deployment name. */
  readonly deployments: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly connectTimeoutMs?: number;
  /** Internal addresses this provider may be reached at (SSRF guard); unset: no check. */
  readonly egress?: EgressGuard;
}

/**
 * Azure OpenAI. Requests and answers are OpenAI's, so each deployment is served by an
 * OpenAiAdapter whose base URL is `{endpoint}/openai/deployments/{deployment}`, with the
 * `api-version` query and the `api-key` header. One adapter per deployment, made on first use.
 */
export class AzureOpenAiAdapter implements ProviderAdapter {
  private readonly byDeployment = new Map<string, OpenAiAdapter>();

  constructor(private readonly options: AzureOpenAiAdapterOptions) {}

  complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options?: ProviderCallOptions,
  ): Promise<ProviderCompletion> {
    return this.adapterFor(request.model).complete(request, signal, options);
  }

  stream(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options?: ProviderCallOptions,
  ): AsyncIterable<ProviderStreamChunk> {
    return this.adapterFor(request.model).stream(request, signal, options);
  }

  /** Embeddings of the deployment the request's model maps to. */
  readonly embed: NonNullable<ProviderAdapter['embed']> = (request, signal, options) =>
    this.adapterFor(request.model).embed(request, signal, options);

  /** The deployment a target model is served by. */
  deploymentOf(model: string): string {
    return this.options.deployments[model] ?? model;
  }

  private adapterFor(model: string): OpenAiAdapter {
    const deployment = this.deploymentOf(model);
    let adapter = this.byDeployment.get(deployment);
    if (!adapter) {
      const endpoint = this.options.endpoint.replace(/\/$/, '');
      adapter = new OpenAiAdapter({
        baseUrl: `${endpoint}/openai/deployments/${encodeURIComponent(deployment)}`,
        timeoutMs: this.options.timeoutMs,
        connectTimeoutMs: this.options.connectTimeoutMs,
        egress: this.options.egress,
        authHeaders: this.options.apiKey ? { 'api-key': this.options.apiKey } : {},
        query: `?api-version=${encodeURIComponent(this.options.apiVersion)}`,
      });
      this.byDeployment.set(deployment, adapter);
    }
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.byDeployment.values()].map((adapter) => adapter.close()));
    this.byDeployment.clear();
  }
}
