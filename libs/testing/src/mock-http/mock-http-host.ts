import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/** Where every provider mock listens. */
export const mockHost = '127.0.0.1';

/**
 * The HTTP plumbing every provider mock shares: a keep-alive server on 127.0.0.1, listening on a
 * given or ephemeral port, and a close that ends open (even hanging) requests at once.
 */
export class MockHttpHost {
  /** Aborted by close(): hanging or slow replies stop waiting. */
  readonly closing = new AbortController();
  private readonly server: Server;
  private boundPort = 0;

  constructor(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>) {
    this.server = createServer({ noDelay: true }, (request, response) => {
      void handle(request, response);
    });
    // Longer than any client pool's idle timeout, so the client always closes first.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, mockHost, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** Scripted faults, first in first out, each taken by the first request it applies to. */
export class FaultQueue<Fault> {
  private readonly faults: Fault[] = [];

  get pending(): number {
    return this.faults.length;
  }

  push(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  take(appliesTo: (fault: Fault) => boolean): Fault | undefined {
    const index = this.faults.findIndex(appliesTo);
    return index === -1 ? undefined : this.faults.splice(index, 1)[0];
  }

  clear(): void {
    this.faults.length = 0;
  }
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

/** The URL path without its query. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The body as JSON; undefined when empty, the raw text when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
