import { type Attributes, type Meter, metrics } from '@opentelemetry/api';
import { type Envelope } from '@aigw/contracts';
import { type EventPublisher } from './event-ports';

/**
 * The metrics API has no proxy provider: instruments are bound to whichever provider is global
 * when they are created. So they are created on first use, after telemetry has started.
 */
function createInstruments(meter: Meter) {
  return {
    requests: meter.createCounter('aigw.requests', {
      description: 'Requests finished, by endpoint, operation and outcome',
    }),
    requestDuration: meter.createHistogram('aigw.request.duration', {
      description: 'Time from request received to last byte sent',
      unit: 'ms',
      advice: {
        explicitBucketBoundaries: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000],
      },
    }),
    timeToFirstToken: meter.createHistogram('aigw.request.ttft', {
      description: 'Time from request received to the first streamed token',
      unit: 'ms',
      advice: { explicitBucketBoundaries: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] },
    }),
    tokens: meter.createCounter('aigw.tokens', { description: 'Tokens used, by direction' }),
    providerAttempts: meter.createCounter('aigw.provider.attempts', {
      description: 'Calls to providers, by outcome',
    }),
    fallbacks: meter.createCounter('aigw.fallbacks', {
      description: 'Attempts after which the router moved to another target',
    }),
    guardrailVerdicts: meter.createCounter('aigw.guardrail.verdicts', {
      description: 'Guardrail evaluations, by guardrail, stage and verdict',
    }),
    policyDecisions: meter.createCounter('aigw.policy.decisions', {
      description: 'Authorization and limiter decisions',
    }),
    mcpCalls: meter.createCounter('aigw.mcp.calls', { description: 'MCP operations' }),
    eventsPublished: meter.createCounter('aigw.events.published', {
      description: 'Lifecycle events handed to the event log, by type',
    }),
  };
}

let instruments: ReturnType<typeof createInstruments> | undefined;

/** Records the metrics an event implies. Every hot-path fact is already an event. */
export function recordEventMetrics(envelope: Envelope): void {
  instruments ??= createInstruments(metrics.getMeter('aigw'));
  const {
    eventsPublished,
    requests,
    requestDuration,
    timeToFirstToken,
    tokens,
    providerAttempts,
    fallbacks,
    guardrailVerdicts,
    policyDecisions,
    mcpCalls,
  } = instruments;
  eventsPublished.add(1, { type: envelope.type, service: envelope.service });
  const payload = envelope.payload;
  if (!payload) return;
  const endpoint = envelope.endpoint;
  switch (payload.$case) {
    case 'requestCompleted':
    case 'requestFailed': {
      const value = payload.value;
      const attributes: Attributes = {
        endpoint,
        operation: value.operation,
        outcome: payload.$case === 'requestCompleted' ? 'completed' : 'failed',
        status: value.status,
        stream: value.stream,
      };
      requests.add(1, attributes);
      requestDuration.record(value.latencyMs, attributes);
      if (payload.$case === 'requestCompleted') {
        if (payload.value.stream && payload.value.ttftMs > 0) {
          timeToFirstToken.record(payload.value.ttftMs, { endpoint });
        }
        const usage = payload.value.usage;
        if (usage) {
          const model = { endpoint, provider: payload.value.provider, model: payload.value.model };
          tokens.add(usage.promptTokens, { ...model, direction: 'prompt' });
          tokens.add(usage.completionTokens, { ...model, direction: 'completion' });
        }
      }
      return;
    }
    case 'providerAttempted': {
      const value = payload.value;
      const attributes = {
        provider: value.provider,
        model: value.model,
        status: value.status,
        error_class: value.errorClass,
      };
      providerAttempts.add(1, attributes);
      if (value.fellBack) fallbacks.add(1, { endpoint, provider: value.provider });
      return;
    }
    case 'guardrailEvaluated':
      guardrailVerdicts.add(1, {
        guardrail: payload.value.guardrail,
        stage: payload.value.stage,
        verdict: payload.value.verdict,
        action: payload.value.action,
      });
      return;
    case 'policyDecided':
      policyDecisions.add(1, { endpoint, decision: payload.value.decision });
      return;
    case 'mcpCalled':
      mcpCalls.add(1, {
        connection: payload.value.connection,
        method: payload.value.mcpMethod,
        status: payload.value.status,
      });
      return;
    default:
      return;
  }
}

/** Wraps a publisher so every published event also updates the service's metrics. */
export function withEventMetrics(publisher: EventPublisher): EventPublisher {
  return {
    publish(envelope) {
      recordEventMetrics(envelope);
      publisher.publish(envelope);
    },
    flush: () => publisher.flush(),
    close: () => publisher.close(),
  };
}

/** Reports a gauge (e.g. events waiting in the producer spool) on every metrics collection. */
export function observeGauge(name: string, description: string, read: () => number): void {
  metrics
    .getMeter('aigw')
    .createObservableGauge(name, { description })
    .addCallback((result) => result.observe(read()));
}
