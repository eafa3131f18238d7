import { type GuardrailServiceClient, type RequestContext, Stage, Verdict } from '@aigw/contracts';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  applyChatCompletionTextParts,
  chatCompletionResponseSchema,
  chatCompletionTextParts,
  type ChatTextPart,
} from '@aigw/llm-api';

/** What the response guardrails made of some texts. */
export type GuardedTexts =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'masked'; readonly parts: readonly ChatTextPart[] };

/**
 * Runs an endpoint's response guardrails through the guardrail-judge client (Stage RESPONSE).
 * A block becomes a GatewayError naming the guardrail (never the value); a judge failure fails
 * closed, because releasing unguarded text is the one thing a response guardrail must prevent.
 */
export class ResponseTextGuard {
  constructor(
    private readonly client: GuardrailServiceClient,
    private readonly context: RequestContext,
    private readonly guardrails: readonly string[],
    /** Supplied context the response is judged against by hallucination judges. */
    private readonly grounding: readonly ChatTextPart[] = [],
  ) {}

  async evaluate(parts: readonly ChatTextPart[]): Promise<GuardedTexts> {
    if (parts.length === 0) return { kind: 'unchanged' };
    let verdict;
    try {
      verdict = await this.client.evaluate({
        context: this.context,
        stage: Stage.STAGE_RESPONSE,
        guardrails: [...this.guardrails],
        parts: [...parts],
        grounding: [...this.grounding],
      });
    } catch {
      throw new GatewayError(GatewayErrorCode.Internal, 'The response guardrails failed to run.');
    }
    if (verdict.verdict === Verdict.VERDICT_BLOCKED) {
      throw new GatewayError(
        GatewayErrorCode.GuardrailBlocked,
        `The response was blocked by guardrail "${verdict.blockedBy}".`,
        { guardrail: verdict.blockedBy },
      );
    }
    return verdict.verdict === Verdict.VERDICT_MASKED
      ? { kind: 'masked', parts: verdict.maskedParts }
      : { kind: 'unchanged' };
  }

  /** One text (a stream window): its guarded form. */
  async evaluateText(path: string, text: string): Promise<string> {
    const result = await this.evaluate([{ path, text }]);
    return result.kind === 'masked' ? (result.parts[0]?.text ?? text) : text;
  }

  /** A whole JSON chat completion: masked in place, or unchanged when nothing was found. */
  async guardCompletionBody(body: Buffer): Promise<Buffer> {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      // Not JSON: the provider sent something the client could not read either; fail closed.
      throw new GatewayError(GatewayErrorCode.UpstreamError, 'The provider response is not JSON.');
    }
    const parsed = chatCompletionResponseSchema.safeParse(json);
    if (!parsed.success) return body;
    const result = await this.evaluate(chatCompletionTextParts(parsed.data));
    if (result.kind === 'unchanged') return body;
    applyChatCompletionTextParts(parsed.data, result.parts);
    return Buffer.from(JSON.stringify(parsed.data));
  }
}
