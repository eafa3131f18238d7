import { type CustomEntityPattern, compileCustomEntity } from '../custom-entity';
import { type EntityFinder } from '../entity-span';
import { type Guardrail, type GuardrailAction, type GuardrailOutcome } from '../guardrail-verdict';
import { evaluateSpans } from '../span-evaluation';
import { detectPii } from './pii-detectors';
import { type PiiEntityType } from './pii-entity';

export interface PiiGuardrailOptions {
  readonly action: GuardrailAction;
  readonly entities: readonly PiiEntityType[];
  /** Extra entities from config; their names become placeholder types (`[EMPLOYEE_ID_1]`). */
  readonly custom?: readonly CustomEntityPattern[];
}

/** Deterministic PII detection: masks with typed placeholders, blocks, or only reports. */
export class PiiGuardrail implements Guardrail {
  private readonly custom: readonly EntityFinder[];

  constructor(
    readonly name: string,
    private readonly options: PiiGuardrailOptions,
  ) {
    // Compiled once per config load, never per request.
    this.custom = (options.custom ?? []).map(compileCustomEntity);
  }

  evaluate(texts: readonly string[]): GuardrailOutcome {
    return evaluateSpans(this.name, this.options.action, texts, (text) =>
      detectPii(text, this.options.entities, this.custom),
    );
  }
}
