import {
  RouteRequest,
  type RouterServiceClient,
  type RouterServiceImplementation,
} from '@aigw/contracts';
import { type ProviderRouter } from './provider-router';

/** The gRPC face of provider-router; a cancelled call aborts the upstream request. */
export function routerGrpcImplementation(router: ProviderRouter): RouterServiceImplementation {
  return {
    complete: (request, context) => router.complete(request, context.signal),
    stream: (request, context) => router.stream(request, context.signal),
  };
}

/** The same client interface, calling the router in-process (standalone mode). */
export function routerInProcessClient(router: ProviderRouter): RouterServiceClient {
  return {
    complete: (request, options) =>
      router.complete(RouteRequest.fromPartial(request), options?.signal),
    stream: (request, options) => router.stream(RouteRequest.fromPartial(request), options?.signal),
  };
}
