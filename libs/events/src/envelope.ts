import { hostname } from 'node:os';
import { type Envelope, type RequestContext } from '@aigw/contracts';
import { uuidv7 } from '@aigw/core';
import { Topics } from './topics';

export const eventSchemaVersion = 1;

/**
 * Names this process among the replicas of a service: AIGW_INSTANCE_ID, else hostname-pid.
 * Read once per process, so every event a replica emits carries the same name cheaply.
 */
export const serviceInstance: string =
  process.env['AIGW_INSTANCE_ID'] || `${hostname()}-${process.pid}`;

/** The payload union of the envelope, e.g. `{ $case: 'requestCompleted', value: … }`. */
export type EventPayload = NonNullable<Envelope['payload']>;

const typeNames: { [K in EventPayload['$case']]: string } = {
  requestReceived: 'request.received',
  policyDecided: 'policy.decided',
  guardrailEvaluated: 'guardrail.evaluated',
  providerAttempted: 'provider.attempted',
  requestCompleted: 'request.completed',
  requestFailed: 'request.failed',
  mcpCalled: 'mcp.called',
  costUnknown: 'cost.unknown',
  configChanged: 'config.changed',
  keyChanged: 'key.changed',
  inferencePayload: 'inference.payload',
};

/** Dotted event type of a payload, e.g. "request.completed". */
export function eventTypeOf(payload: EventPayload): string {
  return typeNames[payload.$case];
}

/** Builds an envelope for the step a service just performed. */
export function createEnvelope(
  service: string,
  context: RequestContext,
  payload: EventPayload,
  occurredAt: Date = new Date(),
): Envelope {
  return {
    eventId: uuidv7(occurredAt.getTime()),
    requestId: context.requestId,
    traceId: context.traceId,
    type: eventTypeOf(payload),
    occurredAt: occurredAt.toISOString(),
    service,
    serviceInstance,
    principal: context.principal,
    endpoint: context.endpoint,
    tags: context.tags,
    schemaVersion: eventSchemaVersion,
    payload,
  };
}

/** Topics an event belongs to: everything goes to lifecycle; who-did-what also to audit. */
export function topicsFor(envelope: Envelope): readonly string[] {
  const payload = envelope.payload;
  if (!payload) return [Topics.lifecycle.name];
  switch (payload.$case) {
    case 'policyDecided':
      return [Topics.lifecycle.name, Topics.audit.name];
    case 'guardrailEvaluated':
      return payload.value.verdict === 'passed'
        ? [Topics.lifecycle.name]
        : [Topics.lifecycle.name, Topics.audit.name];
    case 'mcpCalled':
    case 'configChanged':
    case 'keyChanged':
      return [Topics.lifecycle.name, Topics.audit.name];
    case 'requestReceived':
    case 'providerAttempted':
    case 'requestCompleted':
    case 'requestFailed':
    case 'costUnknown':
      return [Topics.lifecycle.name];
    // Full bodies stay out of the lifecycle stream: only where payload logging is on.
    case 'inferencePayload':
      return [Topics.payloads.name];
  }
}
