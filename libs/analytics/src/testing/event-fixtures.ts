import {
  type Envelope,
  PolicyDecided,
  PrincipalKind,
  RequestCompleted,
  RequestFailed,
  RequestReceived,
  type RequestContext,
} from '@aigw/contracts';
import {
  type ConsumedRecord,
  type EventPayload,
  Topics,
  createEnvelope,
  encodeEnvelope,
} from '@aigw/events';

// Test-only builders (excluded from the build): real envelopes, as services emit them.

/** A request context for `alice` (a user in eng + finops) on endpoint `chat`. */
export function requestContext(
  requestId: string,
  tags: Record<string, string> = {},
): RequestContext {
  return {
    requestId,
    traceId: `trace-${requestId}`,
    principal: {
      id: 'alice',
      kind: PrincipalKind.PRINCIPAL_KIND_USER,
      groups: ['eng', 'finops'],
      roles: ['developer'],
      tags: { cost_center: 'cc-1' },
    },
    endpoint: 'chat',
    tags: { team: 'search', ...tags },
  };
}

/** Payload of a request.received event. */
export function receivedPayload(): EventPayload {
  return {
    $case: 'requestReceived',
    value: RequestReceived.fromPartial({
      operation: 'chat.completions',
      method: 'POST',
      path: '/v1/chat/completions',
      stream: false,
      bodyBytes: 120,
      userAgent: 'openai-node',
    }),
  };
}

/** Payload of an allowing policy.decided event. */
export function decidedPayload(): EventPayload {
  return {
    $case: 'policyDecided',
    // fromPartial: fields other helpers add to the message take their defaults.
    value: PolicyDecided.fromPartial({
      decision: 'allowed',
      reason: '',
      targets: ['mock/gpt'],
      latencyMs: 0.2,
    }),
  };
}

/** Payload of a request.completed event with usage 12 + 30 tokens. */
export function completedPayload(costUsd = '0.000123450'): EventPayload {
  return {
    $case: 'requestCompleted',
    value: RequestCompleted.fromPartial({
      status: 200,
      provider: 'mock',
      model: 'gpt-mock',
      usage: { promptTokens: 12, completionTokens: 30, cachedTokens: 4, reasoningTokens: 2 },
      latencyMs: 42.5,
      ttftMs: 10.25,
      stream: true,
      attempts: 2,
      costUsd,
      operation: 'chat.completions',
    }),
  };
}

/** Payload of a request.failed event (upstream timeout). */
export function failedPayload(): EventPayload {
  return {
    $case: 'requestFailed',
    value: RequestFailed.fromPartial({
      status: 504,
      errorCode: 'upstream_timeout',
      message: 'provider timed out',
      latencyMs: 30000,
      provider: 'mock',
      model: 'gpt-mock',
      attempts: 3,
      operation: 'chat.completions',
      stream: false,
    }),
  };
}

/** An encoded event as the subscriber hands it over. */
export function consumedRecord(
  value: Buffer | string,
  offset: number,
  key: string | null = null,
): ConsumedRecord {
  return {
    topic: Topics.lifecycle.name,
    partition: 0,
    offset: String(offset),
    key,
    value: Buffer.isBuffer(value) ? value : Buffer.from(value),
  };
}

/** The four events of one request: received, decided, then completed or failed. */
export function requestEvents(
  requestId: string,
  outcome: 'completed' | 'failed',
  start = new Date('2025-03-04T05:06:07.000Z'),
): Envelope[] {
  const context = requestContext(requestId);
  const at = (ms: number) => new Date(start.getTime() + ms);
  return [
    createEnvelope('ingress', context, receivedPayload(), at(0)),
    createEnvelope('policy', context, decidedPayload(), at(1)),
    createEnvelope(
      'ingress',
      context,
      outcome === 'completed' ? completedPayload() : failedPayload(),
      at(43),
    ),
  ];
}

/** Records of the given envelopes, numbered from `firstOffset`. */
export function recordsOf(envelopes: readonly Envelope[], firstOffset = 0): ConsumedRecord[] {
  return envelopes.map((envelope, index) =>
    consumedRecord(encodeEnvelope(envelope), firstOffset + index, envelope.requestId),
  );
}
