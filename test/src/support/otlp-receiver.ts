import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP JSON exporter sends it, with its resource's service name. */
export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}

interface TraceExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
      }[];
    }[];
  }[];
}

interface MetricExport {
  resourceMetrics?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeMetrics?: { metrics?: { name: string }[] }[];
  }[];
}

/**
 * An OpenTelemetry collector stand-in: accepts OTLP/HTTP JSON on /v1/traces and /v1/metrics
 * (what @opentelemetry/exporter-*-otlp-http send) and keeps what it got.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Metric names seen, per service. */
  readonly metrics = new Map<string, Set<string>>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (request.url === '/v1/traces') this.addTraces(body as TraceExport);
          if (request.url === '/v1/metrics') this.addMetrics(body as MetricExport);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch {
          response.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private addTraces(body: TraceExport): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = serviceName(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
          });
        }
      }
    }
  }

  private addMetrics(body: MetricExport): void {
    for (const resourceMetrics of body.resourceMetrics ?? []) {
      const service = serviceName(resourceMetrics.resource?.attributes);
      let names = this.metrics.get(service);
      if (!names) this.metrics.set(service, (names = new Set()));
      for (const scope of resourceMetrics.scopeMetrics ?? []) {
        for (const metric of scope.metrics ?? []) names.add(metric.name);
      }
    }
  }
}

function serviceName(attributes: OtlpAttribute[] | undefined): string {
  return attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
}
