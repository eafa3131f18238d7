/** What one guardrail concluded about a set of texts. Never carries the detected values. */
export interface GuardrailOutcome {
  readonly guardrail: string;
  readonly verdict: 'passed' | 'masked' | 'blocked';
  readonly action: string;
  /** Texts that changed, by index into the input; only when masked. */
  readonly maskedTexts: ReadonlyMap<number, string>;
  readonly entities: ReadonlyMap<string, number>;
}

/** A guardrail compiled from config once; evaluate is called per request. */
export interface Guardrail {
  readonly name: string;
  evaluate(texts: readonly string[]): GuardrailOutcome;
}
