import { type EvaluateResponse, type GuardrailServiceClient, Verdict } from '@aigw/contracts';
import { ClientError, Status } from '@aigw/transport';
import { describe, expect, it, vi } from 'vitest';
import { isReplicaLoss, retryingGuardrailClient } from './retrying-guardrail-client';

const passed = { verdict: Verdict.VERDICT_PASSED } as EvaluateResponse;
const path = '/aigw.guardrail.v1.GuardrailService/Evaluate';

function failingThen(...errors: Error[]): GuardrailServiceClient & { calls: () => number } {
  const evaluate = vi.fn(async () => {
    const error = errors.shift();
    if (error) throw error;
    return passed;
  });
  return { evaluate, calls: () => evaluate.mock.calls.length };
}

describe('retryingGuardrailClient', () => {
  it('sends the evaluation again when the replica serving it died', async () => {
    const inner = failingThen(
      new ClientError(path, Status.UNAVAILABLE, 'Connection dropped'),
      new ClientError(path, Status.INTERNAL, 'Received RST_STREAM with code 2'),
    );
    await expect(retryingGuardrailClient(inner).evaluate({})).resolves.toBe(passed);
    expect(inner.calls()).toBe(3);
  });

  it('gives up after three attempts with the last error', async () => {
    const lost = (): ClientError => new ClientError(path, Status.UNAVAILABLE, 'No connection');
    const inner = failingThen(lost(), lost(), lost(), lost());
    await expect(retryingGuardrailClient(inner).evaluate({})).rejects.toMatchObject({
      code: Status.UNAVAILABLE,
    });
    expect(inner.calls()).toBe(3);
  });

  it('does not retry an answer from a live replica', async () => {
    const inner = failingThen(new ClientError(path, Status.INVALID_ARGUMENT, 'bad guardrail'));
    await expect(retryingGuardrailClient(inner).evaluate({})).rejects.toMatchObject({
      code: Status.INVALID_ARGUMENT,
    });
    expect(inner.calls()).toBe(1);
  });
});

describe('isReplicaLoss', () => {
  it('treats internal errors as replica loss only when the connection dropped', () => {
    expect(isReplicaLoss(new ClientError(path, Status.INTERNAL, 'read ECONNRESET'))).toBe(true);
    expect(isReplicaLoss(new ClientError(path, Status.INTERNAL, 'handler threw'))).toBe(false);
    expect(isReplicaLoss(new Error('Connection dropped'))).toBe(false);
  });

  it('never retries a call the caller cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = new ClientError(path, Status.CANCELLED, 'Cancelled on client');
    expect(isReplicaLoss(cancelled, controller.signal)).toBe(false);
    expect(isReplicaLoss(cancelled)).toBe(true);
  });
});
