import { type CompiledConfig, type ProviderConfig } from '@aigw/config';
import { EgressGuard } from '@aigw/core';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { AzureOpenAiAdapter } from './azure/azure-openai.adapter';
import { GeminiAdapter } from './gemini/gemini.adapter';
import { MockAdapter } from './mock/mock.adapter';
import { OpenAiAdapter } from './openai/openai.adapter';
import { type ProviderAdapter } from './provider-adapter';

function createAdapter(config: ProviderConfig, egress: EgressGuard): ProviderAdapter {
  switch (config.type) {
    case 'mock':
      return new MockAdapter(config.latency_ms);
    case 'openai':
      return new OpenAiAdapter({
        baseUrl: config.base_url,
        apiKey: config.api_key,
        timeoutMs: config.timeout_ms,
        connectTimeoutMs: config.timeouts?.connect_ms,
        egress,
      });
    case 'anthropic':
      return new AnthropicAdapter({
        baseUrl: config.base_url,
        apiKey: config.api_key,
        version: config.anthropic_version,
        timeoutMs: config.timeout_ms,
        connectTimeoutMs: config.timeouts?.connect_ms,
        egress,
      });
    case 'gemini':
      return new GeminiAdapter({
        baseUrl: config.base_url,
        apiKey: config.api_key,
        apiVersion: config.api_version,
        timeoutMs: config.timeout_ms,
        connectTimeoutMs: config.timeouts?.connect_ms,
        egress,
      });
    case 'azure_openai':
      return new AzureOpenAiAdapter({
        endpoint: config.endpoint,
        apiKey: config.api_key,
        apiVersion: config.api_version,
        deployments: config.deployments,
        timeoutMs: config.timeout_ms,
        connectTimeoutMs: config.timeouts?.connect_ms,
        egress,
      });
  }
}

/** Provider adapters built once per config load; credentials stay inside them. */
export class ProviderRegistry {
  private builtFor: CompiledConfig | undefined;
  private adapters = new Map<string, ProviderAdapter>();

  get(config: CompiledConfig, provider: string): ProviderAdapter | undefined {
    if (this.builtFor !== config) {
      const next = new Map<string, ProviderAdapter>();
      const egress = new EgressGuard(config.raw.runtime.egress.allow_private);
      for (const [name, providerConfig] of config.providers)
        next.set(name, createAdapter(providerConfig, egress));
      this.adapters = next;
      this.builtFor = config;
    }
    return this.adapters.get(provider);
  }
}
