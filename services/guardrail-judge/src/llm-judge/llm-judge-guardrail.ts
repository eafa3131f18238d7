import {
  type RequestContext,
  type RouteResponse,
  type RouterServiceClient,
  type RouteTarget,
} from '@aigw/contracts';
import { type GuardrailConfig } from '@aigw/config';
import { type GuardrailOutcome, type JudgeCall } from '@aigw/guardrails';
import { buildJudgeMessages, type JudgeInput } from './judge-prompt';
import { type JudgeVerdict, parseJudgeVerdict } from './judge-verdict';

export type LlmJudgeConfig = Extract<GuardrailConfig, { type: 'llm_judge' }>;

/** Why a judgement could not be had; reported as an entity type, never with the text. */
type JudgeFailure = 'judge_timeout' | 'judge_unavailable' | 'judge_unreadable';

type JudgeResult =
  | { readonly ok: true; readonly verdict: JudgeVerdict; readonly call: JudgeCall }
  | { readonly ok: false; readonly failure: JudgeFailure; readonly call?: JudgeCall };

/**
 * A guardrail decided by a model: asks the targets of a gateway endpoint (through
 * provider-router) for a JSON verdict. A judge that times out, fails or answers unreadably
 * counts by the configured on_error policy.
 */
export class LlmJudgeGuardrail {
  constructor(
    readonly name: string,
    private readonly config: LlmJudgeConfig,
    private readonly targets: readonly RouteTarget[],
    private readonly router: RouterServiceClient,
  ) {}

  async evaluate(input: JudgeInput, context?: RequestContext): Promise<GuardrailOutcome> {
    const result = await this.judge(input, context);
    const entities = new Map<string, number>();
    let failed: boolean;
    if (result.ok) {
      failed = result.verdict.verdict === 'fail';
      if (failed) for (const category of result.verdict.categories) entities.set(category, 1);
    } else {
      failed = this.config.on_error === 'fail_closed';
      entities.set(result.failure, 1);
    }
    return {
      guardrail: this.name,
      action: this.config.action,
      verdict: failed && this.config.action === 'block' ? 'blocked' : 'passed',
      maskedTexts: new Map(),
      entities,
      score: result.ok ? (failed ? 1 : 0) : undefined,
      judge: result.call,
    };
  }

  private async judge(input: JudgeInput, context?: RequestContext): Promise<JudgeResult> {
    const body = {
      model: this.targets[0]?.model ?? 'judge',
      messages: buildJudgeMessages(this.config.kind, this.config.prompt, input),
      response_format: { type: 'json_object' },
      temperature: 0,
    };
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve('timeout');
      }, this.config.timeout_ms);
    });
    let response: RouteResponse | 'timeout';
    try {
      response = await Promise.race([
        this.router.complete(
          {
            context: context ? { ...context, endpoint: this.config.endpoint } : undefined,
            operation: 'chat.completions',
            targets: [...this.targets],
            body: Buffer.from(JSON.stringify(body)),
          },
          { signal: abort.signal },
        ),
        timedOut,
      ]);
    } catch {
      return { ok: false, failure: abort.signal.aborted ? 'judge_timeout' : 'judge_unavailable' };
    } finally {
      clearTimeout(timer);
    }
    if (response === 'timeout') return { ok: false, failure: 'judge_timeout' };
    if (response.error) return { ok: false, failure: 'judge_unavailable' };
    const call = { provider: response.provider, model: response.model, costUsd: response.costUsd };
    const verdict = parseJudgeVerdict(response.body);
    return verdict ? { ok: true, verdict, call } : { ok: false, failure: 'judge_unreadable', call };
  }
}
