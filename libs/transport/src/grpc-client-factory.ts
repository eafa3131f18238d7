import { ChannelCredentials } from '@grpc/grpc-js';
import {
  type Channel,
  type Client,
  type ClientFactory,
  createChannel,
  createClientFactory,
} from 'nice-grpc';
import { tracingActive } from '@aigw/core';
import { type CompatServiceDefinition } from 'nice-grpc/lib/service-definitions';
import { grpcCommonOptions } from './grpc-server-host';
import { grpcTarget } from './grpc-target';
import { tracingClientMiddleware } from './grpc-tracing';

/**
 * A channel to a service address, created once and kept alive. Calls spread round robin over
 * every resolved address: all addresses of a DNS name, or a comma-separated list of replicas.
 */
export function createServiceChannel(address: string): Channel {
  return createChannel(grpcTarget(address), ChannelCredentials.createInsecure(), {
    ...grpcCommonOptions,
    'grpc.service_config': JSON.stringify({
      loadBalancingConfig: [{ round_robin: {} }],
      methodConfig: [
        {
          name: [{}],
          // UNAVAILABLE is safe to retry: the call never reached a handler (e.g. a replica died).
          retryPolicy: {
            maxAttempts: 3,
            initialBackoff: '0.01s',
            maxBackoff: '0.2s',
            backoffMultiplier: 2,
            retryableStatusCodes: ['UNAVAILABLE'],
          },
        },
      ],
    }),
    'grpc.enable_retries': 1,
  });
}

// Decided on first use, after the process started its telemetry (or did not).
let clientFactory: ClientFactory | undefined;

/** A typed client for a generated service definition over a channel; calls carry the trace. */
export function createServiceClient<Definition extends CompatServiceDefinition>(
  definition: Definition,
  channel: Channel,
): Client<Definition> {
  clientFactory ??= tracingActive()
    ? createClientFactory().use(tracingClientMiddleware)
    : createClientFactory();
  return clientFactory.create(definition, channel);
}
