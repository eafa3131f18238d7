import { type RouterServiceClient } from '@aigw/contracts';
import { type CompiledConfig, type GuardrailConfig } from '@aigw/config';
import {
  type CustomEntityPattern,
  type Guardrail,
  PiiGuardrail,
  PromptInjectionGuardrail,
  SecretsGuardrail,
} from '@aigw/guardrails';
import { LlmJudgeGuardrail } from './llm-judge/llm-judge-guardrail';

/** A compiled guardrail: a deterministic detector (synchronous) or a model judge (async). */
export type CompiledGuardrail = Guardrail | LlmJudgeGuardrail;

function customEntities(
  custom: readonly { name: string; pattern: string; ignore_case: boolean }[] = [],
): CustomEntityPattern[] {
  return custom.map((entity) => ({
    name: entity.name,
    pattern: entity.pattern,
    ignoreCase: entity.ignore_case,
  }));
}

function compileGuardrail(
  name: string,
  config: GuardrailConfig,
  compiled: CompiledConfig,
  router: RouterServiceClient,
): CompiledGuardrail {
  switch (config.type) {
    case 'pii':
      return new PiiGuardrail(name, {
        action: config.action,
        entities: config.entities,
        custom: customEntities(config.custom),
      });
    case 'secrets':
      return new SecretsGuardrail(name, {
        action: config.action,
        types: config.detectors,
        neverSend: config.never_send,
        markers: config.markers,
        custom: customEntities(config.custom),
      });
    case 'prompt_injection':
      return new PromptInjectionGuardrail(name, {
        action: config.action,
        threshold: config.threshold,
      });
    case 'llm_judge': {
      // Config validation guarantees the endpoint exists.
      const targets = (compiled.endpoints.get(config.endpoint)?.config.targets ?? []).map(
        (target) => ({
          provider: target.provider,
          model: target.model,
          weight: target.weight,
          priority: target.priority,
        }),
      );
      return new LlmJudgeGuardrail(name, config, targets, router);
    }
  }
}

/** Guardrails compiled once per config load (regexes built once), looked up by name per request. */
export class GuardrailCatalog {
  private compiledFor: CompiledConfig | undefined;
  private guardrails = new Map<string, CompiledGuardrail>();

  constructor(private readonly router: RouterServiceClient) {}

  get(config: CompiledConfig, name: string): CompiledGuardrail | undefined {
    if (this.compiledFor !== config) {
      const next = new Map<string, CompiledGuardrail>();
      for (const [guardrailName, guardrail] of config.guardrails) {
        next.set(guardrailName, compileGuardrail(guardrailName, guardrail, config, this.router));
      }
      this.guardrails = next;
      this.compiledFor = config;
    }
    return this.guardrails.get(name);
  }
}
