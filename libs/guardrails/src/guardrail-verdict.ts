/** What a guardrail does when it finds something. */
export type GuardrailAction = 'mask' | 'block' | 'log';

/** What one guardrail concluded about a set of texts. Never carries the detected values. */
export interface GuardrailOutcome {
  readonly guardrail: string;
  readonly verdict: 'passed' | 'masked' | 'blocked';
  readonly action: GuardrailAction;
  /** Texts that changed, by index into the input; only when masked. */
  readonly maskedTexts: ReadonlyMap<number, string>;
  /** Counts by entity type; with action `log` these are reported while the verdict passes. */
  readonly entities: ReadonlyMap<string, number>;
  /** Risk score in [0, 1] for scoring guardrails (prompt injection). */
  readonly score?: number;
  /** Set when a model judged: which one answered and what the call cost. */
  readonly judge?: JudgeCall;
}

/** The model call behind an LLM-judge verdict; never the judged text. */
export interface JudgeCall {
  readonly provider: string;
  readonly model: string;
  /** Decimal dollars; empty when the model has no known price. */
  readonly costUsd: string;
}

/** A guardrail compiled from config once; evaluate is called per request. */
export interface Guardrail {
  readonly name: string;
  evaluate(texts: readonly string[]): GuardrailOutcome;
}
