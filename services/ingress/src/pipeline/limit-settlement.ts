import { type PolicyServiceClient, SettleOutcome, type Usage } from '@aigw/contracts';
import { type CallState } from './call-state';

/**
 * Settles a call's limit reservation with policy when the call ends: the actual tokens and cost
 * on completion, a release on failure. Called from where the call's final event is recorded, so
 * every ending settles exactly once. Off the client's path: a settle that does not arrive is
 * covered by the reservation's lease.
 */
export class LimitSettlement {
  constructor(private readonly policy: PolicyServiceClient) {}

  completed(state: CallState, usage: Usage | undefined, costUsd: string): void {
    this.send(state, SettleOutcome.SETTLE_OUTCOME_COMPLETED, usage, costUsd);
  }

  failed(state: CallState): void {
    this.send(state, SettleOutcome.SETTLE_OUTCOME_FAILED, undefined, '');
  }

  private send(
    state: CallState,
    outcome: SettleOutcome,
    usage: Usage | undefined,
    costUsd: string,
  ): void {
    const reservation = state.reservation;
    if (!reservation) return;
    state.reservation = undefined;
    this.policy
      .settle({
        requestId: state.call.requestId,
        reservation,
        outcome,
        promptTokens: usage?.promptTokens ?? 0,
        completionTokens: usage?.completionTokens ?? 0,
        costUsd,
      })
      .catch(() => undefined);
  }
}
