import { describe, expect, it } from 'vitest';
import { PrincipalKind } from '@aigw/contracts';
import { createEnvelope } from '@aigw/events';
import { toMcpCallRow } from './mcp-call-rows';

const context = {
  requestId: 'req-1',
  traceId: 'trace-1',
  principal: {
    id: 'alice',
    kind: PrincipalKind.PRINCIPAL_KIND_USER,
    groups: ['eng'],
    roles: [],
    tags: {},
  },
  endpoint: '',
  tags: { team: 'search' },
};

describe('toMcpCallRow', () => {
  it('maps mcp.called to an mcp_calls row', () => {
    const envelope = createEnvelope(
      'mcp-broker',
      context,
      {
        $case: 'mcpCalled',
        value: {
          connection: 'github',
          httpMethod: 'POST',
          mcpMethod: 'tools/call',
          tool: 'create_issue',
          onBehalfOfUser: true,
          status: 'denied',
          latencyMs: 1.25,
          argumentBytes: 120,
          resultBytes: 80,
          auth: 'obo',
          errorCode: 'permission_denied',
          reason: 'Tool "create_issue" is not available',
        },
      },
      new Date('2026-03-01T10:00:00.123Z'),
    );
    expect(toMcpCallRow(envelope)).toEqual({
      time: '2026-03-01 10:00:00.123',
      event_id: envelope.eventId,
      request_id: 'req-1',
      trace_id: 'trace-1',
      service: 'mcp-broker',
      principal_id: 'alice',
      principal_kind: 'user',
      groups: ['eng'],
      tags: { team: 'search' },
      connection: 'github',
      http_method: 'POST',
      mcp_method: 'tools/call',
      tool: 'create_issue',
      auth: 'obo',
      on_behalf_of_user: true,
      status: 'denied',
      error_code: 'permission_denied',
      reason: 'Tool "create_issue" is not available',
      latency_ms: 1.25,
      argument_bytes: 120,
      result_bytes: 80,
    });
  });

  it('gives no row for other events', () => {
    const envelope = createEnvelope('policy', context, {
      $case: 'costUnknown',
      value: { provider: 'p', model: 'm' },
    } as never);
    expect(toMcpCallRow(envelope)).toBeUndefined();
  });
});
