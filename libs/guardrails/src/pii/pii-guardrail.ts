import { type Guardrail, type GuardrailOutcome } from '../guardrail-verdict';
import { detectPii } from './pii-detectors';
import { type PiiEntityType } from './pii-entity';
import { PiiMasker } from './pii-masker';

export interface PiiGuardrailOptions {
  readonly action: 'mask' | 'block';
  readonly entities: readonly PiiEntityType[];
}

/** Deterministic PII detection: masks with typed placeholders or blocks the request. */
export class PiiGuardrail implements Guardrail {
  constructor(
    readonly name: string,
    private readonly options: PiiGuardrailOptions,
  ) {}

  evaluate(texts: readonly string[]): GuardrailOutcome {
    const masker = new PiiMasker();
    const maskedTexts = new Map<number, string>();
    const entities = new Map<string, number>();
    texts.forEach((text, index) => {
      const spans = detectPii(text, this.options.entities);
      if (spans.length === 0) return;
      for (const span of spans) entities.set(span.type, (entities.get(span.type) ?? 0) + 1);
      if (this.options.action === 'mask') maskedTexts.set(index, masker.mask(text, spans));
    });
    const found = entities.size > 0;
    return {
      guardrail: this.name,
      action: this.options.action,
      verdict: !found ? 'passed' : this.options.action === 'block' ? 'blocked' : 'masked',
      maskedTexts,
      entities,
    };
  }
}
