import { type CustomEntityPattern, compileCustomEntity } from '../custom-entity';
import { type Guardrail, type GuardrailAction, type GuardrailOutcome } from '../guardrail-verdict';
import { evaluateSpans } from '../span-evaluation';
import { type SecretType } from './secret-patterns';
import { compileSecretDetector, type SecretDetector } from './secret-detector';

export interface SecretsGuardrailOptions {
  readonly action: GuardrailAction;
  readonly types: readonly SecretType[];
  readonly neverSend?: readonly string[];
  readonly markers?: readonly string[];
  readonly custom?: readonly CustomEntityPattern[];
}

/**
 * Secrets and data-exfiltration prevention: API keys and tokens, private keys, connection
 * strings with credentials, never-send terms and document markers. Blocks by default; `mask`
 * replaces each with a typed placeholder (`[OPENAI_KEY_1]`).
 */
export class SecretsGuardrail implements Guardrail {
  private readonly detect: SecretDetector;

  constructor(
    readonly name: string,
    private readonly options: SecretsGuardrailOptions,
  ) {
    this.detect = compileSecretDetector({
      types: options.types,
      neverSend: options.neverSend,
      markers: options.markers,
      custom: (options.custom ?? []).map(compileCustomEntity),
    });
  }

  evaluate(texts: readonly string[]): GuardrailOutcome {
    return evaluateSpans(this.name, this.options.action, texts, this.detect);
  }
}
