import { ChannelCredentials } from '@grpc/grpc-js';
import { type Channel, type Client, createChannel, createClient } from 'nice-grpc';
import { type CompatServiceDefinition } from 'nice-grpc/lib/service-definitions';
import { grpcKeepaliveOptions } from './grpc-server-host';
import { grpcTarget } from './grpc-target';

/**
 * A channel to a service address, created once and kept alive. Calls spread round robin over
 * every resolved address: all addresses of a DNS name, or a comma-separated list of replicas.
 */
export function createServiceChannel(address: string): Channel {
  return createChannel(grpcTarget(address), ChannelCredentials.createInsecure(), {
    ...grpcKeepaliveOptions,
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

/** A typed client for a generated service definition over a channel. */
export function createServiceClient<Definition extends CompatServiceDefinition>(
  definition: Definition,
  channel: Channel,
): Client<Definition> {
  return createClient(definition, channel);
}
