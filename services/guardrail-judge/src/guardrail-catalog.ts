import { type CompiledConfig, type GuardrailConfig } from '@aigw/config';
import { type Guardrail, PiiGuardrail } from '@aigw/guardrails';

function compileGuardrail(name: string, config: GuardrailConfig): Guardrail {
  switch (config.type) {
    case 'pii':
      return new PiiGuardrail(name, { action: config.action, entities: config.entities });
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
