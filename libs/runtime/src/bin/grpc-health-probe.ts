/**
 * `node libs/runtime/dist/bin/grpc-health-probe.js HOST:PORT [SERVICE]`: exits 0 when the gRPC
 * health service answers SERVING within 2 s, 1 otherwise. For container healthchecks (compose);
 * Kubernetes uses its built-in gRPC probe.
 */
import { createChannel, createClient } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { HealthCheckResponse_ServingStatus } from 'nice-grpc-server-health/lib/proto/grpc/health/v1/health';

async function probe(address: string, service: string): Promise<boolean> {
  const channel = createChannel(address);
  try {
    const client = createClient(HealthDefinition, channel);
    const response = await client.check({ service }, { signal: AbortSignal.timeout(2000) });
    return response.status === HealthCheckResponse_ServingStatus.SERVING;
  } catch {
    return false;
  } finally {
    channel.close();
  }
}

const [address, service = ''] = process.argv.slice(2);
if (!address) {
  process.stderr.write('usage: grpc-health-probe HOST:PORT [SERVICE]\n');
  process.exit(2);
}
probe(address, service).then(
  (serving) => process.exit(serving ? 0 : 1),
  () => process.exit(1),
);
