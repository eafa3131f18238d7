import { type RouteRequest, Stage, Verdict } from '@aigw/contracts';
import { GatewayError, GatewayErrorCode, monotonicMs, roundMs } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { type ChatCompletionRequest, chatCompletionRequestSchema } from '@aigw/llm-api';
import { authorizeCall } from './call-authorization';
import { type CallState, type ChatCall, type ChatResult } from './call-state';
import { chatBody, type GovernedBody, parseBody, readEmbeddingsBody } from './governed-body';
import { type IngressClients } from './ingress-clients';
import { limitDemandOf } from './limit-demand';
import { LimitSettlement } from './limit-settlement';
import { type PayloadLoggingLookup } from './payload-capture';
import { RequestRecorder } from './request-recorder';
import { parseRequestTags } from './request-tags';
import { ResponseTextGuard } from './response-text-guard';
import { routeFailure } from './route-failure';
import { StreamRelay } from './stream-relay';
import { completionToolCalls, conversationFacts } from './tool-call-records';

export type { ChatCall, ChatResult } from './call-state';

/**
 * The governed request path: authenticate and authorise (policy) → request guardrails →
 * route (provider-router) → response guardrails → record. Every request ends in exactly one
 * `request.completed` or `request.failed`, whatever happens.
 */
export class ChatPipeline {
  private readonly recorder: RequestRecorder;
  private readonly streams: StreamRelay;

  constructor(
    private readonly clients: IngressClients,
    events: EventPublisher,
    payloadLogging?: PayloadLoggingLookup,
    /** Whether the config has dollar budgets: only they need the prompt bound. */
    private readonly budgetsConfigured: () => boolean = () => true,
  ) {
    this.recorder = new RequestRecorder(
      events,
      payloadLogging,
      new LimitSettlement(clients.policy),
    );
    this.streams = new StreamRelay(clients.router, this.recorder);
  }

  async handle(call: ChatCall): Promise<ChatResult> {
    const operation = call.operation ?? 'chat.completions';
    const state: CallState = {
      call,
      operation,
      started: monotonicMs(),
      stream: operation !== 'embeddings' && isStreaming(call.body),
      context: {
        requestId: call.requestId,
        traceId: call.traceId,
        principal: undefined,
        endpoint: modelOf(call.body),
        tags: {},
      },
    };
    let tagsError: GatewayError | undefined;
    try {
      state.context.tags = parseRequestTags(call.tagsHeader);
    } catch (error) {
      tagsError =
        error instanceof GatewayError
          ? error
          : new GatewayError(GatewayErrorCode.InvalidRequest, 'x-aigw-tags is invalid');
    }
    this.recorder.received(state);
    try {
      if (tagsError) throw tagsError;
      return await this.run(state);
    } catch (error) {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(GatewayErrorCode.Internal, 'the gateway failed to handle the request');
      this.recorder.failed(state, failure);
      return { kind: 'error', error: failure };
    }
  }

  private async run(state: CallState): Promise<ChatResult> {
    const request = readGovernedBody(state);
    const demand = limitDemandOf(request, { promptBound: this.budgetsConfigured() });
    const decision = await authorizeCall(this.clients.policy, state, demand);
    state.context.principal = decision.principal;
    if (state.operation !== 'embeddings') {
      // e.g. a Responses API `previous_response_id`: the stored turns join the request here,
      // once the principal is known, so guardrails and the provider see the whole conversation.
      const conversation = request.request as ChatCompletionRequest;
      await state.call.resolveConversation?.(decision.principal, conversation);
      state.conversation = conversationFacts(conversation);
    }
    const guardrails = decision.guardrailPlan?.request ?? [];
    if (guardrails.length > 0) await this.guardRequest(state, request, guardrails);
    const responseGuardrails =
      state.operation !== 'embeddings' ? (decision.guardrailPlan?.response ?? []) : [];
    const responseGuard =
      responseGuardrails.length > 0
        ? new ResponseTextGuard(
            this.clients.guardrails,
            state.context,
            responseGuardrails,
            request.groundingParts(),
          )
        : undefined;
    const routeRequest: RouteRequest = {
      context: state.context,
      operation: state.operation,
      targets: decision.routePlan?.targets ?? [],
      body: Buffer.from(JSON.stringify(request.request)),
      maxOutputTokens: decision.maxOutputTokens,
    };
    this.recorder.payloads.sentUpstream(state, routeRequest.body);
    if (state.stream) return this.streams.start(state, routeRequest, responseGuard);
    const response = await this.clients.router.complete(routeRequest, {
      signal: state.call.signal,
    });
    if (response.error) {
      const failure = routeFailure(response.error);
      this.recorder.payloads.responded(state, response.body);
      this.recorder.failed(state, failure, response.provider, response.model, response.attempts);
      return { kind: 'error', error: failure, upstreamBody: nonEmpty(response.body) };
    }
    const body = responseGuard
      ? await responseGuard.guardCompletionBody(response.body)
      : response.body;
    this.recorder.payloads.responded(state, body);
    const latencyMs = roundMs(monotonicMs() - state.started);
    this.recorder.completed(state, {
      provider: response.provider,
      model: response.model,
      attempts: response.attempts,
      usage: response.usage,
      latencyMs,
      ttftMs: latencyMs,
      costUsd: response.costUsd,
      toolCalls: completionToolCalls(body, state.conversation?.turn ?? 1),
    });
    return { kind: 'json', status: 200, body };
  }

  private async guardRequest(
    state: CallState,
    request: GovernedBody,
    guardrails: string[],
  ): Promise<void> {
    const parts = request.textParts();
    if (parts.length === 0) return;
    const verdict = await this.clients.guardrails.evaluate({
      context: state.context,
      stage: Stage.STAGE_REQUEST,
      guardrails,
      parts,
    });
    if (verdict.verdict === Verdict.VERDICT_BLOCKED) {
      throw new GatewayError(
        GatewayErrorCode.GuardrailBlocked,
        `The request was blocked by guardrail "${verdict.blockedBy}".`,
        { guardrail: verdict.blockedBy },
      );
    }
    if (verdict.verdict === Verdict.VERDICT_MASKED) request.applyTextParts(verdict.maskedParts);
  }
}

function modelOf(body: unknown): string {
  if (
    body !== null &&
    typeof body === 'object' &&
    'model' in body &&
    typeof body.model === 'string'
  ) {
    return body.model.slice(0, 256);
  }
  return '';
}

function isStreaming(body: unknown): boolean {
  return body !== null && typeof body === 'object' && 'stream' in body && body.stream === true;
}

function validateRequest(body: unknown): ChatCompletionRequest {
  return parseBody(chatCompletionRequestSchema, body);
}

function readGovernedBody(state: CallState): GovernedBody {
  switch (state.operation) {
    case 'chat.completions':
    case 'messages':
    case 'responses':
      return chatBody((state.call.readBody ?? validateRequest)(state.call.body));
    case 'embeddings':
      return readEmbeddingsBody(state.call.body);
  }
}

function nonEmpty(body: Buffer): Buffer | undefined {
  return body.length > 0 ? body : undefined;
}
