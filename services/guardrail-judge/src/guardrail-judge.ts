import {
  type EvaluateRequest,
  type EvaluateResponse,
  type Finding,
  type RouterServiceClient,
  Stage,
  type TextPart,
  Verdict,
} from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { GatewayError, GatewayErrorCode, monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import { type GuardrailOutcome } from '@aigw/guardrails';
import { type CompiledGuardrail, GuardrailCatalog } from './guardrail-catalog';
import { LlmJudgeGuardrail } from './llm-judge/llm-judge-guardrail';

const serviceName = 'guardrail-judge';

const verdictOf = {
  passed: Verdict.VERDICT_PASSED,
  masked: Verdict.VERDICT_MASKED,
  blocked: Verdict.VERDICT_BLOCKED,
};

/**
 * Runs the named guardrails in order over the text parts. Masks feed into the next guardrail;
 * the first block stops evaluation. Emits one `guardrail.evaluated` per guardrail run.
 */
export class GuardrailJudge {
  private readonly catalog: GuardrailCatalog;

  constructor(
    private readonly config: ConfigSource,
    private readonly events: EventPublisher,
    /** How LLM judges reach their models. */
    router: RouterServiceClient,
  ) {
    this.catalog = new GuardrailCatalog(router);
  }

  async evaluate(request: EvaluateRequest): Promise<EvaluateResponse> {
    const config = this.config.current();
    const texts = request.parts.map((part) => part.text);
    const changed = new Set<number>();
    const findings: Finding[] = [];
    let verdict = Verdict.VERDICT_PASSED;
    let blockedBy = '';
    for (const name of request.guardrails) {
      const guardrail = this.catalog.get(config, name);
      if (!guardrail) {
        throw new GatewayError(GatewayErrorCode.Internal, `guardrail "${name}" is not configured`);
      }
      const started = monotonicMs();
      const outcome = await runGuardrail(guardrail, texts, request);
      const latencyMs = roundMs(monotonicMs() - started);
      for (const [index, text] of outcome.maskedTexts) {
        texts[index] = text;
        changed.add(index);
      }
      const entities = [...outcome.entities].map(([entityType, count]) => ({ entityType, count }));
      findings.push({ guardrail: name, verdict: verdictOf[outcome.verdict], entities });
      if (request.context) {
        this.events.publish(
          createEnvelope(serviceName, request.context, {
            $case: 'guardrailEvaluated',
            value: {
              guardrail: name,
              stage: request.stage === Stage.STAGE_RESPONSE ? 'response' : 'request',
              verdict: outcome.verdict,
              action: outcome.action,
              entities,
              latencyMs,
              judgeProvider: outcome.judge?.provider ?? '',
              judgeModel: outcome.judge?.model ?? '',
              judgeCostUsd: outcome.judge?.costUsd ?? '',
              score: outcome.score,
            },
          }),
        );
      }
      if (outcome.verdict === 'blocked') {
        verdict = Verdict.VERDICT_BLOCKED;
        blockedBy = name;
        break;
      }
      if (outcome.verdict === 'masked') verdict = Verdict.VERDICT_MASKED;
    }
    const maskedParts: TextPart[] =
      verdict === Verdict.VERDICT_MASKED
        ? [...changed].map((index) => ({ path: request.parts[index]!.path, text: texts[index]! }))
        : [];
    return { verdict, maskedParts, blockedBy, findings };
  }
}

/** Deterministic detectors run synchronously; only a model judge awaits. */
function runGuardrail(
  guardrail: CompiledGuardrail,
  texts: readonly string[],
  request: EvaluateRequest,
): GuardrailOutcome | Promise<GuardrailOutcome> {
  if (!(guardrail instanceof LlmJudgeGuardrail)) return guardrail.evaluate(texts);
  const grounding = request.grounding.map((part) => part.text);
  return guardrail.evaluate({ texts, grounding }, request.context);
}
