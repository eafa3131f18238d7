import { PrincipalKind } from '@aigw/contracts';
import { createEnvelope, decodeEnvelope } from '@aigw/events';
import { describe, expect, it } from 'vitest';
import { principalKindName, toEventRow, toRequestRow } from './event-rows';
import {
  completedPayload,
  decidedPayload,
  failedPayload,
  requestContext,
} from './testing/event-fixtures';

const at = new Date('2025-03-04T05:06:07.089Z');

describe('toEventRow', () => {
  it('maps the envelope to the events columns and keeps the whole event as JSON', () => {
    const envelope = createEnvelope('policy', requestContext('req-1'), decidedPayload(), at);
    const row = toEventRow(envelope);
    expect(row).toMatchObject({
      event_id: envelope.eventId,
      request_id: 'req-1',
      trace_id: 'trace-req-1',
      type: 'policy.decided',
      occurred_at: '2025-03-04 05:06:07.089',
      service: 'policy',
      principal_id: 'alice',
      principal_kind: 'user',
      groups: ['eng', 'finops'],
      endpoint: 'chat',
      tags: { team: 'search' },
    });
    const decoded = decodeEnvelope(row.payload);
    expect(decoded.ok && decoded.envelope).toEqual(envelope);
  });

  it('normalises an occurred_at with an offset to UTC', () => {
    const envelope = createEnvelope('ingress', requestContext('req-2'), decidedPayload(), at);
    const row = toEventRow({ ...envelope, occurredAt: '2025-03-04T07:06:07.089+02:00' });
    expect(row.occurred_at).toBe('2025-03-04 05:06:07.089');
  });

  it('leaves principal columns empty for an anonymous event', () => {
    const context = { ...requestContext('req-3'), principal: undefined };
    const row = toEventRow(createEnvelope('ingress', context, decidedPayload(), at));
    expect(row).toMatchObject({ principal_id: '', principal_kind: '', groups: [] });
  });
});

describe('toRequestRow', () => {
  it('builds the request row of request.completed from envelope and payload', () => {
    const context = requestContext('req-1', { feature: 'search' });
    const row = toRequestRow(
      createEnvelope('ingress', context, completedPayload(), at),
      {
        fallbacks: ['openai/gpt-4o'],
        errorClass: 'timeout',
        guardrailActions: ['request:pii:masked'],
      },
      { cost_center: 'cc-9' },
    );
    expect(row).toEqual({
      time: '2025-03-04 05:06:07.089',
      request_id: 'req-1',
      trace_id: 'trace-req-1',
      principal_id: 'alice',
      principal_kind: 'user',
      groups: ['eng', 'finops'],
      endpoint: 'chat',
      tags: { team: 'search', feature: 'search' },
      endpoint_tags: { cost_center: 'cc-9' },
      provider: 'mock',
      model: 'gpt-mock',
      operation: 'chat.completions',
      stream: true,
      attempts: 2,
      fallbacks: ['openai/gpt-4o'],
      status: 200,
      error_code: '',
      error_class: 'timeout',
      guardrail_actions: ['request:pii:masked'],
      prompt_tokens: 12,
      completion_tokens: 30,
      cached_tokens: 4,
      reasoning_tokens: 2,
      total_tokens: 42,
      cost_usd: '0.000123450',
      latency_ms: 42.5,
      ttft_ms: 10.25,
    });
  });

  it('gives a null cost when the model has no price, or the cost is not a decimal', () => {
    for (const cost of ['', 'n/a', '1e-5', '-1', '12345678901.5']) {
      const envelope = createEnvelope('ingress', requestContext('r'), completedPayload(cost), at);
      expect(toRequestRow(envelope)?.cost_usd).toBeNull();
    }
  });

  it('builds the request row of request.failed with its error code and no usage', () => {
    const row = toRequestRow(
      createEnvelope('ingress', requestContext('req-9'), failedPayload(), at),
    );
    expect(row).toMatchObject({
      request_id: 'req-9',
      status: 504,
      error_code: 'upstream_timeout',
      provider: 'mock',
      attempts: 3,
      latency_ms: 30000,
      total_tokens: 0,
      cost_usd: null,
      stream: false,
    });
  });

  it('clamps values that the columns cannot hold instead of failing the batch', () => {
    const payload = completedPayload();
    if (payload.$case !== 'requestCompleted') throw new Error('fixture');
    payload.value.status = 70_000;
    payload.value.latencyMs = Number.NaN;
    payload.value.usage = {
      promptTokens: -5,
      completionTokens: 2.7,
      cachedTokens: 0,
      reasoningTokens: 0,
    };
    const row = toRequestRow(createEnvelope('ingress', requestContext('r'), payload, at));
    expect(row).toMatchObject({
      status: 65_535,
      latency_ms: 0,
      prompt_tokens: 0,
      completion_tokens: 2,
      total_tokens: 2,
    });
  });

  it('ignores events that do not end a request', () => {
    const envelope = createEnvelope('policy', requestContext('r'), decidedPayload(), at);
    expect(toRequestRow(envelope)).toBeUndefined();
  });
});

describe('principalKindName', () => {
  it('names every principal kind', () => {
    expect(principalKindName(PrincipalKind.PRINCIPAL_KIND_USER)).toBe('user');
    expect(principalKindName(PrincipalKind.PRINCIPAL_KIND_SERVICE)).toBe('service');
    expect(principalKindName(PrincipalKind.PRINCIPAL_KIND_UNSPECIFIED)).toBe('');
    expect(principalKindName(PrincipalKind.UNRECOGNIZED)).toBe('unrecognized');
  });
});
