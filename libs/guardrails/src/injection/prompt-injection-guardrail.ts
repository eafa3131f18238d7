import { type Guardrail, type GuardrailOutcome } from '../guardrail-verdict';
import { type InjectionRule, injectionRules } from './injection-rules';

export interface PromptInjectionGuardrailOptions {
  readonly action: 'block' | 'log';
  /** Score at or above which the text counts as an attack, in (0, 1]. */
  readonly threshold: number;
}

/** The heuristic score of one text and the signals that fired. */
export interface InjectionScore {
  readonly score: number;
  readonly signals: ReadonlyMap<string, number>;
}

/** Scores a text: each rule that matches adds independent evidence. */
export function scoreInjection(
  text: string,
  rules: readonly InjectionRule[] = injectionRules,
): InjectionScore {
  let benign = 1;
  const signals = new Map<string, number>();
  for (const rule of rules) {
    if (!rule.pattern.test(text)) continue;
    benign *= 1 - rule.weight;
    signals.set(`injection.${rule.signal}`, (signals.get(`injection.${rule.signal}`) ?? 0) + 1);
  }
  return { score: Math.round((1 - benign) * 1000) / 1000, signals };
}

/**
 * Fast heuristic prompt-injection / jailbreak tier. Each text is scored on its own (an attack
 * lives in one message) and the highest score decides; entities report which signals fired.
 */
export class PromptInjectionGuardrail implements Guardrail {
  constructor(
    readonly name: string,
    private readonly options: PromptInjectionGuardrailOptions,
  ) {}

  evaluate(texts: readonly string[]): GuardrailOutcome {
    let score = 0;
    const entities = new Map<string, number>();
    for (const text of texts) {
      const result = scoreInjection(text);
      score = Math.max(score, result.score);
      for (const [signal, count] of result.signals) {
        entities.set(signal, (entities.get(signal) ?? 0) + count);
      }
    }
    const attack = score >= this.options.threshold;
    return {
      guardrail: this.name,
      action: this.options.action,
      verdict: attack && this.options.action === 'block' ? 'blocked' : 'passed',
      maskedTexts: new Map(),
      // Below the threshold nothing is reported: weak signals alone are noise.
      entities: attack ? entities : new Map(),
      score,
    };
  }
}
