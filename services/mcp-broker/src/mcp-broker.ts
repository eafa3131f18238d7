import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  LATEST_PROTOCOL_VERSION,
  McpError,
  type RequestId,
  ResultSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type ErrorInfo,
  type ForwardReply,
  type ForwardRequest,
  type Principal,
  type PutCredentialRequest,
  type PutCredentialResponse,
  RequestContext,
} from '@aigw/contracts';
import { GatewayError, GatewayErrorCode, httpStatusOf, type Logger, monotonicMs } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { AsyncChannel } from './async-channel';
import { type ConnectionDirectory, type McpConnection } from './connection-directory';
import { type CredentialStore } from './credential-store';
import {
  type AgentMessage,
  errorMessage,
  JsonRpcErrorCode,
  notificationMessage,
  parseAgentMessage,
  resultMessage,
} from './json-rpc';
import { type McpCallStatus, recordMcpCall } from './mcp-call-audit';
import { type McpCallLimits } from './mcp-call-limits';
import { type ToolGuardrails } from './tool-guardrails';
import { type UpstreamCredentials } from './upstream-credentials';
import { type UpstreamSession, type UpstreamSessions } from './upstream-sessions';

/** Requests passed to the upstream as they are, under the connection's permission. */
const passthroughMethods = new Set([
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
]);

/** The capabilities an agent sees: what the upstream offers that the broker proxies. */
const proxiedCapabilities = ['tools', 'resources', 'prompts', 'logging', 'completions'] as const;

/** How one operation ended, for the response and the audit. */
interface Outcome {
  readonly reply: Buffer;
  readonly status: McpCallStatus;
  readonly errorCode?: string;
  readonly reason?: string;
}

/** One agent operation in progress. */
interface Operation {
  readonly context: RequestContext;
  readonly principal: Principal;
  readonly connection: McpConnection;
  readonly message: AgentMessage & { readonly id: RequestId; readonly method: string };
  readonly callerJwt: string;
  readonly signal: AbortSignal;
  /** Notifications for the agent while the operation runs. */
  readonly notify: (message: Buffer) => void;
}

function refused(error: ErrorInfo): ForwardReply {
  return { message: Buffer.alloc(0), error, notification: false };
}

function refusal(code: GatewayErrorCode, message: string): ErrorInfo {
  return { code, message, httpStatus: httpStatusOf(code) };
}

/**
 * The broker's use case: admits an agent's MCP operation (connection, principal, rate limit),
 * runs it on the principal's upstream session under the connection's tool permissions and
 * guardrails, streams the upstream's notifications back, and records `mcp.called`.
 */
export class McpBroker {
  constructor(
    private readonly directory: ConnectionDirectory,
    private readonly sessions: UpstreamSessions,
    private readonly credentials: UpstreamCredentials,
    private readonly guardrails: ToolGuardrails,
    private readonly credentialStore: CredentialStore | undefined,
    private readonly limits: McpCallLimits,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
  ) {}

  async *forward(request: ForwardRequest, signal?: AbortSignal): AsyncGenerator<ForwardReply> {
    const startedAt = monotonicMs();
    const context = RequestContext.fromPartial(request.context ?? {});
    const principal = context.principal;
    const message = parseAgentMessage(request.message);
    const argumentBytes = request.message.length;
    const connection = this.directory.get(request.connection);
    const audit = (
      mcpMethod: string,
      tool: string,
      status: McpCallStatus,
      extra: { resultBytes?: number; errorCode?: string; reason?: string } = {},
    ): void =>
      recordMcpCall(this.events, context, {
        startedAt,
        connection: request.connection,
        httpMethod: request.httpMethod,
        mcpMethod,
        tool,
        onBehalfOfUser: connection?.config.auth === 'obo',
        auth: connection?.config.auth ?? '',
        status,
        argumentBytes,
        resultBytes: extra.resultBytes ?? 0,
        errorCode: extra.errorCode ?? '',
        reason: extra.reason ?? '',
      });
    const mcpMethod = message?.method ?? '';
    const tool = toolNameOf(message);
    if (!principal) {
      yield refused(refusal(GatewayErrorCode.Unauthenticated, 'No principal on the call.'));
      return;
    }
    if (!connection) {
      // No audit row names a connection that does not exist; the 404 is the answer.
      yield refused(
        refusal(GatewayErrorCode.NotFound, `There is no MCP connection "${request.connection}".`),
      );
      return;
    }
    if (!this.directory.allows(connection, principal)) {
      const reason = `You may not use MCP connection "${connection.name}".`;
      audit(mcpMethod, tool, 'denied', { errorCode: GatewayErrorCode.PermissionDenied, reason });
      yield refused(refusal(GatewayErrorCode.PermissionDenied, reason));
      return;
    }
    if (!message) {
      const reason = 'The body is not one JSON-RPC 2.0 message.';
      audit('', '', 'invalid_request', { errorCode: GatewayErrorCode.InvalidRequest, reason });
      yield refused(refusal(GatewayErrorCode.InvalidRequest, reason));
      return;
    }
    // Notifications and responses from the agent need no answer.
    if (message.id === undefined || message.method === undefined) return;
    const limited = await this.limits.spend(connection, principal);
    if (limited) {
      audit(mcpMethod, tool, 'rate_limited', {
        errorCode: GatewayErrorCode.RateLimited,
        reason: limited,
      });
      yield refused(refusal(GatewayErrorCode.RateLimited, limited));
      return;
    }
    const channel = new AsyncChannel<ForwardReply>();
    const abort = new AbortController();
    let finished = false;
    const onAbort = (): void => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const running = this.execute({
      context,
      principal,
      connection,
      message: { ...message, id: message.id, method: message.method },
      callerJwt: request.callerJwt,
      signal: abort.signal,
      notify: (notification) =>
        channel.push({ message: notification, error: undefined, notification: true }),
    }).then((outcome) => {
      finished = true;
      channel.push({ message: outcome.reply, error: undefined, notification: false });
      channel.end();
      audit(mcpMethod, tool, outcome.status, {
        resultBytes: outcome.reply.length,
        errorCode: outcome.errorCode ?? '',
        reason: outcome.reason ?? '',
      });
    });
    try {
      for await (const reply of channel) yield reply;
      await running;
    } finally {
      // The agent went away before the answer: cancel the upstream request. (Never after it:
      // the SDK would send the upstream a `notifications/cancelled` for a finished call.)
      if (!finished) abort.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async putCredential(request: PutCredentialRequest): Promise<PutCredentialResponse> {
    const principal = request.context?.principal;
    const connection = this.directory.get(request.connection);
    if (!principal) {
      return { error: refusal(GatewayErrorCode.Unauthenticated, 'No principal on the call.') };
    }
    if (!connection) {
      return {
        error: refusal(
          GatewayErrorCode.NotFound,
          `There is no MCP connection "${request.connection}".`,
        ),
      };
    }
    if (!this.directory.allows(connection, principal)) {
      return {
        error: refusal(
          GatewayErrorCode.PermissionDenied,
          `You may not use MCP connection "${connection.name}".`,
        ),
      };
    }
    if (connection.config.credentials !== 'per_user' || !this.credentialStore) {
      return {
        error: refusal(
          GatewayErrorCode.InvalidRequest,
          `MCP connection "${connection.name}" does not use per-user credentials.`,
        ),
      };
    }
    await this.credentialStore.put(connection.name, principal.id, request.credential);
    return { error: undefined };
  }

  async close(): Promise<void> {
    await this.sessions.close();
    await this.limits.close();
    await this.credentialStore?.close();
  }

  /** Closes upstream sessions (and stdio server processes) when the host shuts down. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  private async execute(operation: Operation): Promise<Outcome> {
    const { message, connection } = operation;
    if (message.method === 'ping') return { reply: resultMessage(message.id, {}), status: 'ok' };
    if (
      message.method !== 'initialize' &&
      message.method !== 'tools/list' &&
      message.method !== 'tools/call' &&
      !passthroughMethods.has(message.method)
    ) {
      return {
        reply: errorMessage(
          message.id,
          JsonRpcErrorCode.MethodNotFound,
          `Method "${message.method}" is not proxied by the gateway.`,
        ),
        status: 'rejected',
        errorCode: GatewayErrorCode.InvalidRequest,
      };
    }
    if (message.method === 'tools/call') {
      const tool = toolNameOf(message);
      if (!connection.tools.permits(tool, operation.principal)) {
        const reason = `Tool "${tool}" is not available on MCP connection "${connection.name}".`;
        return {
          reply: errorMessage(message.id, JsonRpcErrorCode.InvalidParams, reason),
          status: 'denied',
          errorCode: GatewayErrorCode.PermissionDenied,
          reason,
        };
      }
    }
    let session: UpstreamSession | undefined;
    try {
      session = await this.sessions.acquire(connection, operation.principal, operation.callerJwt);
      session.inFlight += 1;
      return await this.run(operation, session);
    } catch (error) {
      return this.failure(operation, session, error);
    } finally {
      if (session) {
        session.inFlight -= 1;
        session.lastUsedAt = Date.now();
      }
    }
  }

  private async run(operation: Operation, session: UpstreamSession): Promise<Outcome> {
    const { message, connection } = operation;
    const options = { signal: operation.signal, timeout: connection.config.timeout_ms };
    switch (message.method) {
      case 'initialize':
        return {
          reply: resultMessage(message.id, this.initializeResult(operation, session)),
          status: 'ok',
        };
      case 'tools/list': {
        const result = await session.client.request(
          { method: 'tools/list', params: message.params ?? {} },
          ResultSchema,
          options,
        );
        const tools = Array.isArray(result['tools']) ? (result['tools'] as unknown[]) : [];
        const visible = tools.filter(
          (tool) =>
            typeof tool === 'object' &&
            tool !== null &&
            connection.tools.permits(
              String((tool as { name?: unknown }).name),
              operation.principal,
            ),
        );
        return { reply: resultMessage(message.id, { ...result, tools: visible }), status: 'ok' };
      }
      case 'tools/call':
        return this.callTool(operation, session, options);
      default: {
        const unsubscribe = session.listen((notification) =>
          operation.notify(notificationMessage(notification.method, notification.params)),
        );
        try {
          const result = await session.client.request(
            { method: message.method, params: message.params ?? {} },
            ResultSchema,
            options,
          );
          return { reply: resultMessage(message.id, result), status: 'ok' };
        } finally {
          unsubscribe();
        }
      }
    }
  }

  private async callTool(
    operation: Operation,
    session: UpstreamSession,
    options: { signal: AbortSignal; timeout: number },
  ): Promise<Outcome> {
    const { message, connection, context } = operation;
    const params = message.params ?? {};
    const names = connection.config.guardrails;
    const guardedArguments = await this.guardrails.guard(
      context,
      'arguments',
      names.arguments,
      'arguments',
      (params['arguments'] ?? {}) as Record<string, unknown>,
    );
    if (guardedArguments.blockedBy) {
      const reason = `The tool arguments were blocked by guardrail "${guardedArguments.blockedBy}".`;
      return {
        reply: errorMessage(message.id, JsonRpcErrorCode.InvalidParams, reason),
        status: 'guardrail_blocked',
        errorCode: GatewayErrorCode.GuardrailBlocked,
        reason,
      };
    }
    // The agent's progress token stays with the agent; the upstream gets a session-unique one.
    const meta = (params['_meta'] ?? {}) as { progressToken?: unknown };
    const agentToken = meta.progressToken;
    const wantsProgress = typeof agentToken === 'string' || typeof agentToken === 'number';
    const [upstreamToken, releaseToken] = session.progressToken((progress) =>
      operation.notify(
        notificationMessage('notifications/progress', { ...progress, progressToken: agentToken }),
      ),
    );
    const unsubscribe = session.listen((notification) =>
      operation.notify(notificationMessage(notification.method, notification.params)),
    );
    try {
      const { progressToken: _agentToken, ...otherMeta } = meta;
      const upstreamMeta = wantsProgress
        ? { ...otherMeta, progressToken: upstreamToken }
        : otherMeta;
      const result = await session.client.request(
        {
          method: 'tools/call',
          params: {
            ...params,
            _meta: upstreamMeta,
            arguments: guardedArguments.value,
          } as never,
        },
        ResultSchema,
        options,
      );
      const guardedResult = await this.guardrails.guard(
        context,
        'results',
        names.results,
        'result',
        result,
      );
      if (guardedResult.blockedBy) {
        const reason = `The tool result was blocked by guardrail "${guardedResult.blockedBy}".`;
        return {
          reply: resultMessage(message.id, {
            content: [{ type: 'text', text: reason }],
            isError: true,
          }),
          status: 'guardrail_blocked',
          errorCode: GatewayErrorCode.GuardrailBlocked,
          reason,
        };
      }
      return {
        reply: resultMessage(message.id, guardedResult.value),
        status: guardedResult.value['isError'] === true ? 'tool_error' : 'ok',
      };
    } finally {
      releaseToken();
      unsubscribe();
    }
  }

  private initializeResult(
    operation: Operation,
    session: UpstreamSession,
  ): Record<string, unknown> {
    const requested = operation.message.params?.['protocolVersion'];
    const upstreamCapabilities = (session.client.getServerCapabilities() ?? {}) as Record<
      string,
      unknown
    >;
    const capabilities = Object.fromEntries(
      proxiedCapabilities
        .filter((name) => upstreamCapabilities[name] !== undefined)
        .map((name) => [name, upstreamCapabilities[name]]),
    );
    const upstream = session.client.getServerVersion();
    const instructions = session.client.getInstructions();
    return {
      protocolVersion:
        typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
          ? requested
          : LATEST_PROTOCOL_VERSION,
      capabilities,
      serverInfo: {
        name: `aigw/${operation.connection.name}`,
        version: upstream?.version ?? '0.0.0',
        ...(upstream?.title ? { title: upstream.title } : {}),
      },
      ...(instructions ? { instructions } : {}),
    };
  }

  private failure(
    operation: Operation,
    session: UpstreamSession | undefined,
    error: unknown,
  ): Outcome {
    const { message, connection } = operation;
    if (error instanceof GatewayError) {
      return {
        reply: errorMessage(message.id, JsonRpcErrorCode.InternalError, error.message),
        status: error.code === GatewayErrorCode.PermissionDenied ? 'denied' : 'upstream_error',
        errorCode: error.code,
        reason: error.message,
      };
    }
    if (error instanceof McpError && error.code !== Number(JsonRpcErrorCode.ConnectionClosed)) {
      if (error.code === Number(JsonRpcErrorCode.RequestTimeout)) {
        const reason = `The upstream MCP server of "${connection.name}" did not answer in time.`;
        return {
          reply: errorMessage(message.id, error.code, reason),
          status: 'upstream_error',
          errorCode: GatewayErrorCode.UpstreamTimeout,
          reason,
        };
      }
      // The upstream's own JSON-RPC error goes back to the agent as it is.
      return {
        reply: errorMessage(
          message.id,
          error.code,
          error.message.replace(/^MCP error -?\d+: /, ''),
        ),
        status: 'rejected',
        errorCode: GatewayErrorCode.UpstreamRejected,
        reason: error.message.slice(0, 500),
      };
    }
    // The session is broken (connection refused, HTTP error, process exited): the next call
    // opens a new one. An upstream that refused our credential gets a fresh one next time.
    if (session) this.sessions.discard(session);
    const httpStatus = error instanceof StreamableHTTPError ? error.code : undefined;
    if (httpStatus === 401 || httpStatus === 403) {
      this.credentials.forget(connection, operation.principal);
    }
    if (operation.signal.aborted) {
      return {
        reply: errorMessage(message.id, JsonRpcErrorCode.RequestTimeout, 'The call was cancelled.'),
        status: 'upstream_error',
        errorCode: GatewayErrorCode.UpstreamError,
        reason: 'cancelled by the agent',
      };
    }
    this.logger.warn('upstream MCP call failed', {
      trace_id: operation.context.traceId,
      request_id: operation.context.requestId,
      connection: connection.name,
      error: error instanceof Error ? error.message : String(error),
    });
    const reason =
      `The upstream MCP server of "${connection.name}" failed` +
      (httpStatus ? ` (HTTP ${httpStatus}).` : ' or cannot be reached.');
    return {
      reply: errorMessage(message.id, JsonRpcErrorCode.InternalError, reason),
      status: 'upstream_error',
      errorCode: GatewayErrorCode.UpstreamUnavailable,
      reason,
    };
  }
}

function toolNameOf(message: AgentMessage | undefined): string {
  if (message?.method !== 'tools/call') return '';
  const name = message.params?.['name'];
  return typeof name === 'string' ? name.slice(0, 256) : '';
}
