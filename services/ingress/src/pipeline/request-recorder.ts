import { type Usage } from '@aigw/contracts';
import { type GatewayError, monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import { type CallState } from './call-state';

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
}

/** Emits the ingress's own events: request.received, then request.completed or request.failed. */
export class RequestRecorder {
  constructor(private readonly events: EventPublisher) {}

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
    this.emit(state, {
      $case: 'requestCompleted',
      value: {
        status: 200,
        ...outcome,
        stream: state.stream,
        operation: state.operation,
      },
    });
  }

  failed(state: CallState, error: GatewayError, provider = '', model = '', attempts = 0): void {
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
  }

  private emit(state: CallState, payload: Parameters<typeof createEnvelope>[2]): void {
    this.events.publish(createEnvelope(serviceName, state.context, payload));
  }
}
