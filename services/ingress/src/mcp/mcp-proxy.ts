import { type ForwardReply, type Principal, type RequestContext } from '@aigw/contracts';
import { GatewayError, GatewayErrorCode, type Logger, monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import {
  authenticateHttpRequest,
  credentialFromHeaders,
  type CredentialHeaders,
} from '../pipeline/credentials';
import { type IngressClients } from '../pipeline/ingress-clients';
import { MalformedJsonBody } from '../pipeline/malformed-json-body';
import { parseRequestTags } from '../pipeline/request-tags';

/** One agent HTTP request to /mcp/<connection>. */
export interface McpHttpCall {
  readonly requestId: string;
  readonly traceId: string;
  readonly connection: string;
  readonly headers: CredentialHeaders;
  readonly tagsHeader: string | undefined;
  readonly body: unknown;
  readonly httpMethod: string;
  readonly signal: AbortSignal;
}

/** What to answer the agent. */
export type McpHttpResult =
  | { readonly kind: 'error'; readonly error: GatewayError; readonly id: string | number | null }
  /** A notification or response from the agent was accepted; nothing to return. */
  | { readonly kind: 'accepted' }
  /** The JSON-RPC response, with no notifications before it. */
  | { readonly kind: 'json'; readonly message: Uint8Array }
  /** Notifications first: stream them and the response as SSE (or only the response). */
  | { readonly kind: 'stream'; readonly messages: AsyncIterable<Uint8Array> };

function requestIdOf(body: unknown): string | number | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function methodOf(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return '';
  const method = (body as { method?: unknown }).method;
  return typeof method === 'string' ? method.slice(0, 128) : '';
}

/**
 * The ingress side of the MCP endpoint: authenticates the agent like any gateway call, hands
 * the JSON-RPC message to mcp-broker and shapes what comes back for Streamable HTTP.
 */
export class McpProxy {
  constructor(
    private readonly clients: IngressClients,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
  ) {}

  async handle(call: McpHttpCall): Promise<McpHttpResult> {
    const started = monotonicMs();
    const id = requestIdOf(call.body);
    let principal: Principal;
    let tags: Record<string, string>;
    try {
      principal = await authenticateHttpRequest(call.headers, this.clients.policy);
      tags = parseRequestTags(call.tagsHeader);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      if (error.code === GatewayErrorCode.Unauthenticated) this.auditUnauthenticated(call, started);
      return { kind: 'error', error, id };
    }
    if (call.body instanceof MalformedJsonBody) {
      return {
        kind: 'error',
        error: new GatewayError(GatewayErrorCode.InvalidJson, 'The body is not valid JSON.'),
        id: null,
      };
    }
    if (Array.isArray(call.body)) {
      return {
        kind: 'error',
        error: new GatewayError(
          GatewayErrorCode.InvalidRequest,
          'JSON-RPC batches are not supported: send one message per request.',
        ),
        id: null,
      };
    }
    const context: RequestContext = {
      requestId: call.requestId,
      traceId: call.traceId,
      principal,
      endpoint: '',
      tags,
    };
    let replies: AsyncIterator<ForwardReply>;
    let first: IteratorResult<ForwardReply>;
    try {
      replies = this.clients.mcp
        .forward(
          {
            context,
            connection: call.connection,
            message: Buffer.from(JSON.stringify(call.body ?? null)),
            httpMethod: call.httpMethod,
            callerJwt: credentialFromHeaders(call.headers).bearerToken ?? '',
          },
          { signal: call.signal },
        )
        [Symbol.asyncIterator]();
      first = await replies.next();
    } catch (error) {
      this.logger.warn('mcp-broker call failed', {
        trace_id: context.traceId,
        request_id: context.requestId,
        error: error instanceof Error ? error.message : String(error),
      });
      return {
        kind: 'error',
        error: new GatewayError(
          GatewayErrorCode.ServiceUnavailable,
          'The MCP broker is not available; try again.',
        ),
        id,
      };
    }
    if (first.done) return { kind: 'accepted' };
    const reply = first.value;
    if (reply.error) {
      return { kind: 'error', error: brokerRefusal(reply.error), id };
    }
    if (!reply.notification) {
      void replies.return?.();
      return { kind: 'json', message: reply.message };
    }
    return { kind: 'stream', messages: remaining(reply.message, replies) };
  }

  /** Stores the caller's own credential for a per-user connection. */
  async putCredential(
    headers: CredentialHeaders,
    connection: string,
    credential: string,
    identity: { requestId: string; traceId: string },
  ): Promise<void> {
    const principal = await authenticateHttpRequest(headers, this.clients.policy);
    const result = await this.clients.mcp.putCredential({
      context: { ...identity, principal, endpoint: '', tags: {} },
      connection,
      credential,
    });
    if (result.error) throw brokerRefusal(result.error);
  }

  /** A refused credential is audited too: nobody is named, the connection and method are. */
  private auditUnauthenticated(call: McpHttpCall, started: number): void {
    this.events.publish(
      createEnvelope(
        'ingress',
        {
          requestId: call.requestId,
          traceId: call.traceId,
          principal: undefined,
          endpoint: '',
          tags: {},
        },
        {
          $case: 'mcpCalled',
          value: {
            connection: call.connection.slice(0, 128),
            httpMethod: call.httpMethod,
            mcpMethod: methodOf(call.body),
            tool: '',
            onBehalfOfUser: false,
            auth: '',
            status: 'unauthenticated',
            latencyMs: roundMs(monotonicMs() - started),
            argumentBytes: 0,
            resultBytes: 0,
            errorCode: GatewayErrorCode.Unauthenticated,
            reason: 'missing or invalid credentials',
          },
        },
      ),
    );
  }
}

const refusalCodes = new Set<string>(Object.values(GatewayErrorCode));

function brokerRefusal(error: { code: string; message: string; httpStatus: number }): GatewayError {
  const code = refusalCodes.has(error.code)
    ? (error.code as GatewayErrorCode)
    : GatewayErrorCode.Internal;
  return new GatewayError(code, error.message, {}, error.httpStatus || undefined);
}

async function* remaining(
  first: Uint8Array,
  replies: AsyncIterator<ForwardReply>,
): AsyncGenerator<Uint8Array> {
  yield first;
  try {
    for (;;) {
      const next = await replies.next();
      if (next.done) return;
      if (next.value.message.length > 0) yield next.value.message;
    }
  } finally {
    await replies.return?.();
  }
}
