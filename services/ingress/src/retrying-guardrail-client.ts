import { type GuardrailServiceClient } from '@aigw/contracts';
import { ClientError, Status } from '@aigw/transport';

const maxAttempts = 3;

// A replica that dies mid-call surfaces as one of these, after the request was sent; the
// channel's retry policy only replays calls that never reached a server.
const droppedConnection = /RST_STREAM|ECONNRESET|Connection dropped|socket hang up|EPIPE/i;

/** Whether a failed call is worth sending again to another replica. */
export function isReplicaLoss(error: unknown, signal?: AbortSignal): boolean {
  if (!(error instanceof ClientError) || signal?.aborted) return false;
  switch (error.code) {
    case Status.UNAVAILABLE:
    case Status.CANCELLED:
      return true;
    case Status.INTERNAL:
    case Status.UNKNOWN:
      return droppedConnection.test(error.details);
    default:
      return false;
  }
}

/**
 * Sends an evaluation again (to the next replica, round robin) when the one serving it died.
 * Safe because evaluating guardrails is idempotent.
 */
export function retryingGuardrailClient(client: GuardrailServiceClient): GuardrailServiceClient {
  return {
    async evaluate(request, options) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await client.evaluate(request, options);
        } catch (error) {
          if (attempt >= maxAttempts || !isReplicaLoss(error, options?.signal)) throw error;
        }
      }
    },
  };
}
