import { ChannelCredentials } from '@grpc/grpc-js';
import { type Channel, type Client, createChannel, createClient } from 'nice-grpc';
import { type CompatServiceDefinition } from 'nice-grpc/lib/service-definitions';
import { grpcKeepaliveOptions } from './grpc-server-host';

/**
 * A channel to a service address, created once and kept alive. `dns:///host:port` targets
 * resolve every address of a name and spread calls round robin over them (several replicas).
 */
export function createServiceChannel(address: string): Channel {
  const target = address.includes('://') ? address : `dns:///${address}`;
  return createChannel(target, ChannelCredentials.createInsecure(), {
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
