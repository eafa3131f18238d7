import { createServer, type Server } from 'node:http';
import { type SinkMetrics } from './sink-metrics';

/** Serves GET /metrics (Prometheus text) on `port` (127.0.0.1 unless `host` says otherwise). */
export async function startMetricsServer(
  metrics: SinkMetrics,
  port: number,
  host = '127.0.0.1',
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(metrics.render());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
