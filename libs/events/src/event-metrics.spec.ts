import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from './envelope';
import { recordEventMetrics } from './event-metrics';

describe('metrics derived from events', () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  const context = {
    requestId: 'r1',
    traceId: 't1',
    principal: undefined,
    endpoint: 'chat',
    tags: {},
  };

  it('counts requests, fallbacks, guardrail verdicts and tokens', async () => {
    recordEventMetrics(
      createEnvelope('ingress', context, {
        $case: 'requestCompleted',
        value: {
          status: 200,
          provider: 'openai',
          model: 'gpt-4o-mini',
          usage: { promptTokens: 12, completionTokens: 30, cachedTokens: 0, reasoningTokens: 0 },
          latencyMs: 40,
          ttftMs: 9,
          stream: true,
          attempts: 2,
          costUsd: '0.0001',
          operation: 'chat.completions',
          toolCalls: [],
          toolResults: [],
        },
      }),
    );
    recordEventMetrics(
      createEnvelope('provider-router', context, {
        $case: 'providerAttempted',
        value: {
          attempt: 1,
          provider: 'dead',
          model: 'm',
          status: 0,
          latencyMs: 3,
          errorClass: 'connect',
          fellBack: true,
          retried: false,
          backoffMs: 0,
        },
      }),
    );
    await reader.forceFlush();
    const exported = exporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
    const sum = (
      name: string,
      filter: (attributes: Record<string, unknown>) => boolean = () => true,
    ): number => {
      let total = 0;
      for (const metric of exported.filter((candidate) => candidate.descriptor.name === name)) {
        for (const point of metric.dataPoints as { attributes: object; value: unknown }[]) {
          if (
            filter(point.attributes as Record<string, unknown>) &&
            typeof point.value === 'number'
          ) {
            total += point.value;
          }
        }
      }
      return total;
    };
    expect(
      sum('aigw.requests', (a) => a['outcome'] === 'completed' && a['endpoint'] === 'chat'),
    ).toBe(1);
    expect(sum('aigw.fallbacks')).toBe(1);
    expect(sum('aigw.tokens', (a) => a['direction'] === 'completion')).toBe(30);
    expect(sum('aigw.provider.attempts', (a) => a['error_class'] === 'connect')).toBe(1);
    const durations = exported.find((metric) => metric.descriptor.name === 'aigw.request.duration');
    expect(durations?.dataPoints).toHaveLength(1);
  });
});
