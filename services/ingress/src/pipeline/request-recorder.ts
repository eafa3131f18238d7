import { type ToolCallRecord, type Usage } from '@aigw/contracts';
import { type GatewayError, monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import { type CallState } from './call-state';
import { type LimitSettlement } from './limit-settlement';
import { type PayloadLoggingLookup, PayloadCaptures } from './payload-capture';

const serviceName = 'ingress';

/** How a call that reached a provider ended. */
export interface CompletedCall {
  readonly provider: string;
  readonly model: string;
  readonly attempts: number;
  readonly usage: Usage | undefined;
  readonly latencyMs: number;
  readonly ttftMs: number;
  /** Decimal string from the router; empty when the model has no known price. */
  readonly costUsd: string;
  /** Tool calls the answer asked for. */
  readonly toolCalls?: ToolCallRecord[];
}

/** Emits the ingress's own events: request.received, then request.completed or request.failed. */
export class RequestRecorder {
  /** Request/response bodies of calls whose endpoint has payload logging on. */
  readonly payloads: PayloadCaptures;

  constructor(
    private readonly events: EventPublisher,
    payloadLogging: PayloadLoggingLookup = () => undefined,
    /** Settles the call's rate-limit reservation when its final event is recorded. */
    private readonly limits?: LimitSettlement,
  ) {
    this.payloads = new PayloadCaptures(payloadLogging);
  }

  received(state: CallState): void {
    const { call } = state;
    this.emit(state, {
      $case: 'requestReceived',
      value: {
        operation: state.operation,
        method: call.method,
        path: call.path,
        stream: state.stream,
        bodyBytes: call.bodyBytes,
        userAgent: call.userAgent.slice(0, 256),
      },
    });
  }

  completed(state: CallState, outcome: CompletedCall): void {
    this.limits?.completed(state, outcome.usage, outcome.costUsd);
    this.emit(state, {
      $case: 'requestCompleted',
      value: {
        status: 200,
        ...outcome,
        stream: state.stream,
        operation: state.operation,
        toolCalls: outcome.toolCalls ?? [],
        toolResults: state.conversation?.toolResults ?? [],
      },
    });
    this.emitPayload(state, {
      provider: outcome.provider,
      model: outcome.model,
      status: 200,
      latencyMs: outcome.latencyMs,
      errorCode: '',
      errorMessage: '',
    });
  }

  failed(state: CallState, error: GatewayError, provider = '', model = '', attempts = 0): void {
    this.limits?.failed(state);
    this.emit(state, {
      $case: 'requestFailed',
      value: {
        status: error.httpStatus,
        errorCode: error.code,
        message: error.message,
        latencyMs: roundMs(monotonicMs() - state.started),
        provider,
        model,
        attempts,
        operation: state.operation,
        stream: state.stream,
      },
    });
    this.emitPayload(state, {
      provider,
      model,
      status: error.httpStatus,
      latencyMs: roundMs(monotonicMs() - state.started),
      errorCode: error.code,
      errorMessage: error.message,
    });
  }

  // Only for calls that reached the router with payload logging on (see PayloadCaptures).
  private emitPayload(
    state: CallState,
    outcome: {
      provider: string;
      model: string;
      status: number;
      latencyMs: number;
      errorCode: string;
      errorMessage: string;
    },
  ): void {
    const capture = this.payloads.take(state);
    if (!capture) return;
    this.emit(state, {
      $case: 'inferencePayload',
      value: {
        ...outcome,
        operation: state.operation,
        stream: state.stream,
        requestBody: capture.requestBody,
        responseBody: capture.responseBody,
        retentionDays: capture.retentionDays,
        truncated: capture.truncated,
      },
    });
  }

  private emit(state: CallState, payload: Parameters<typeof createEnvelope>[2]): void {
    this.events.publish(createEnvelope(serviceName, state.context, payload));
  }
}
