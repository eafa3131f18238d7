import { PrincipalKind, type Envelope } from '@aigw/contracts';
import { createEnvelope, encodeEnvelope, topicsFor } from '@aigw/events';
import { type Producer } from 'kafkajs';

/** The three lifecycle events of one finished request, as the services emit them. */
export function requestEvents(requestId: string, index: number): Envelope[] {
  const context = {
    requestId,
    traceId: `trace-${requestId}`,
    principal: {
      id: `user-${index % 7}`,
      kind: PrincipalKind.PRINCIPAL_KIND_USER,
      groups: ['eng'],
      roles: [],
      tags: {},
    },
    endpoint: 'chat',
    tags: { team: index % 2 === 0 ? 'search' : 'ads' },
  };
  const at = new Date();
  return [
    createEnvelope(
      'ingress',
      context,
      {
        $case: 'requestReceived',
        value: {
          operation: 'chat.completions',
          method: 'POST',
          path: '/v1/chat/completions',
          stream: false,
          bodyBytes: 10,
          userAgent: 't',
        },
      },
      at,
    ),
    createEnvelope(
      'policy',
      context,
      {
        $case: 'policyDecided',
        value: { decision: 'allowed', reason: '', targets: ['mock/m'], latencyMs: 0.1 } as never,
      },
      at,
    ),
    createEnvelope(
      'ingress',
      context,
      {
        $case: 'requestCompleted',
        value: {
          status: 200,
          provider: 'mock',
          model: 'm',
          usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0, reasoningTokens: 0 },
          latencyMs: 3,
          ttftMs: 3,
          stream: false,
          attempts: 1,
          costUsd: '0.001',
          operation: 'chat.completions',
        } as never,
      },
      at,
    ),
  ];
}

/**
 * Produces the events of requests `<prefix>-<from>` … `<prefix>-<from + count - 1>`, keyed by
 * request id, to the topics the services would use (or to the topics `topicsOf` names).
 */
export async function produce(
  producer: Producer,
  prefix: string,
  from: number,
  count: number,
  topicsOf: (envelope: Envelope) => readonly string[] = topicsFor,
): Promise<void> {
  for (let start = from; start < from + count; start += 500) {
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    for (let index = start; index < Math.min(from + count, start + 500); index += 1) {
      for (const envelope of requestEvents(`${prefix}-${index}`, index)) {
        for (const topic of topicsOf(envelope)) {
          const list = byTopic.get(topic) ?? [];
          list.push({ key: envelope.requestId, value: encodeEnvelope(envelope) });
          byTopic.set(topic, list);
        }
      }
    }
    await producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      acks: -1,
    });
  }
}
