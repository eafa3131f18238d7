import {
  AuthenticateRequest,
  AuthorizeRequest,
  CreateKeyRequest,
  ListEndpointsRequest,
  ListKeysRequest,
  type PolicyServiceClient,
  type PolicyServiceImplementation,
  RevokeKeyRequest,
  SettleRequest,
} from '@aigw/contracts';
import { type ApiKeyService } from './identity/api-key-service';
import { type PolicyDecider } from './policy-decider';

/** The gRPC face of the policy service: parse, call the use case, return. */
export function policyGrpcImplementation(
  decider: PolicyDecider,
  keys: ApiKeyService,
): PolicyServiceImplementation {
  return {
    authorize: async (request) => decider.authorize(request),
    listEndpoints: async (request) => decider.listEndpoints(request),
    authenticate: async (request) => decider.authenticate(request),
    createKey: async (request) => keys.create(request),
    listKeys: async (request) => keys.list(request),
    revokeKey: async (request) => keys.revoke(request),
    settle: async (request) => decider.settle(request),
  };
}

/** The same client interface the gRPC adapter implements, calling the use case in-process. */
export function policyInProcessClient(
  decider: PolicyDecider,
  keys: ApiKeyService,
): PolicyServiceClient {
  return {
    authorize: async (request) => decider.authorize(AuthorizeRequest.fromPartial(request)),
    listEndpoints: async (request) =>
      decider.listEndpoints(ListEndpointsRequest.fromPartial(request)),
    authenticate: async (request) => decider.authenticate(AuthenticateRequest.fromPartial(request)),
    createKey: async (request) => keys.create(CreateKeyRequest.fromPartial(request)),
    listKeys: async (request) => keys.list(ListKeysRequest.fromPartial(request)),
    revokeKey: async (request) => keys.revoke(RevokeKeyRequest.fromPartial(request)),
    settle: async (request) => decider.settle(SettleRequest.fromPartial(request)),
  };
}
