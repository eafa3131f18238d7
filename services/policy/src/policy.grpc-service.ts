import {
  AuthenticateRequest,
  AuthorizeRequest,
  ListEndpointsRequest,
  type PolicyServiceClient,
  type PolicyServiceImplementation,
} from '@aigw/contracts';
import { type PolicyDecider } from './policy-decider';

/** The gRPC face of the policy service: parse, call the use case, return. */
export function policyGrpcImplementation(decider: PolicyDecider): PolicyServiceImplementation {
  return {
    authorize: async (request) => decider.authorize(request),
    listEndpoints: async (request) => decider.listEndpoints(request),
    authenticate: async (request) => decider.authenticate(request),
  };
}

/** The same client interface the gRPC adapter implements, calling the use case in-process. */
export function policyInProcessClient(decider: PolicyDecider): PolicyServiceClient {
  return {
    authorize: async (request) => decider.authorize(AuthorizeRequest.fromPartial(request)),
    listEndpoints: async (request) =>
      decider.listEndpoints(ListEndpointsRequest.fromPartial(request)),
    authenticate: async (request) => decider.authenticate(AuthenticateRequest.fromPartial(request)),
  };
}
