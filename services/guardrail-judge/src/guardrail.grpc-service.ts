import {
  EvaluateRequest,
  type GuardrailServiceClient,
  type GuardrailServiceImplementation,
} from '@aigw/contracts';
import { type GuardrailJudge } from './guardrail-judge';

/** The gRPC face of guardrail-judge. */
export function guardrailGrpcImplementation(judge: GuardrailJudge): GuardrailServiceImplementation {
  return { evaluate: (request) => judge.evaluate(request) };
}

/** The same client interface, calling the judge in-process (standalone mode). */
export function guardrailInProcessClient(judge: GuardrailJudge): GuardrailServiceClient {
  return { evaluate: (request) => judge.evaluate(EvaluateRequest.fromPartial(request)) };
}
