import { PiiMasker } from './pii/pii-masker';
import { type GuardrailAction, type GuardrailOutcome } from './guardrail-verdict';
import { type EntitySpan } from './entity-span';

/**
 * The shared evaluation of span detectors (PII, secrets): counts entity types, then masks with
 * one masker per evaluation (consistent placeholders across texts), blocks, or only reports.
 */
export function evaluateSpans(
  guardrail: string,
  action: GuardrailAction,
  texts: readonly string[],
  detect: (text: string) => EntitySpan[],
): GuardrailOutcome {
  const masker = new PiiMasker();
  const maskedTexts = new Map<number, string>();
  const entities = new Map<string, number>();
  texts.forEach((text, index) => {
    const spans = detect(text);
    if (spans.length === 0) return;
    for (const span of spans) entities.set(span.type, (entities.get(span.type) ?? 0) + 1);
    if (action === 'mask') maskedTexts.set(index, masker.mask(text, spans));
  });
  return {
    guardrail,
    action,
    verdict: verdictFor(action, entities.size > 0),
    maskedTexts,
    entities,
  };
}

function verdictFor(action: GuardrailAction, found: boolean): GuardrailOutcome['verdict'] {
  if (!found) return 'passed';
  switch (action) {
    case 'block':
      return 'blocked';
    case 'mask':
      return 'masked';
    case 'log':
      return 'passed';
  }
}
