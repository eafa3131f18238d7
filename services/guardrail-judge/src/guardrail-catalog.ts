import { type CompiledConfig, type GuardrailConfig } from '@aigw/config';
import {
  type CustomEntityPattern,
  type Guardrail,
  PiiGuardrail,
  PromptInjectionGuardrail,
  SecretsGuardrail,
} from '@aigw/guardrails';

function customEntities(
  custom: readonly { name: string; pattern: string; ignore_case: boolean }[] = [],
): CustomEntityPattern[] {
  return custom.map((entity) => ({
    name: entity.name,
    pattern: entity.pattern,
    ignoreCase: entity.ignore_case,
  }));
}

function compileGuardrail(name: string, config: GuardrailConfig): Guardrail {
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
  }
}

/** Guardrails compiled once per config load (regexes built once), looked up by name per request. */
export class GuardrailCatalog {
  private compiledFor: CompiledConfig | undefined;
  private guardrails = new Map<string, Guardrail>();

  get(config: CompiledConfig, name: string): Guardrail | undefined {
    if (this.compiledFor !== config) {
      const next = new Map<string, Guardrail>();
      for (const [guardrailName, guardrail] of config.guardrails) {
        next.set(guardrailName, compileGuardrail(guardrailName, guardrail));
      }
      this.guardrails = next;
      this.compiledFor = config;
    }
    return this.guardrails.get(name);
  }
}
