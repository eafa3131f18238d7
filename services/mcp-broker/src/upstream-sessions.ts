import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type Notification } from '@modelcontextprotocol/sdk/types.js';
import { type Principal } from '@aigw/contracts';
import { type EgressGuard, type Logger } from '@aigw/core';
import { type McpConnection } from './connection-directory';
import { upstreamFetch } from './upstream-fetch';
import { type UpstreamCredentials } from './upstream-credentials';

const clientInfo = { name: 'aigw-mcp-broker', version: '0.1.0' };

/** One upstream MCP client session, shared by every call of one principal on one connection. */
export class UpstreamSession {
  lastUsedAt = Date.now();
  inFlight = 0;
  /** The caller's own JWT of the latest call: the subject token of a token exchange. */
  callerJwt = '';
  private readonly listeners = new Set<(notification: Notification) => void>();
  private readonly progressListeners = new Map<string, (params: Record<string, unknown>) => void>();
  private nextProgressToken = 0;

  constructor(
    readonly key: string,
    readonly client: Client,
  ) {}

  /**
   * Receives the upstream's notifications that belong to no one request (logging, list
   * changes) until the returned function is called: they reach every call in flight.
   */
  listen(listener: (notification: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A fresh progress token for one upstream request, and a function to release it. */
  progressToken(listener: (params: Record<string, unknown>) => void): [string, () => void] {
    const token = `aigw-${(this.nextProgressToken += 1)}`;
    this.progressListeners.set(token, listener);
    return [token, () => this.progressListeners.delete(token)];
  }

  /**
   * Takes the upstream's notifications off the transport before the SDK sees them. The SDK
   * dispatches notifications a microtask later than responses, so a progress or log message
   * sent just before a response would otherwise arrive after the call is over.
   */
  interceptNotifications(transport: Transport): void {
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (!('method' in message) || 'id' in message) {
        deliver?.(message, extra);
        return;
      }
      const params = (message.params ?? {}) as Record<string, unknown>;
      if (message.method === 'notifications/progress') {
        this.progressListeners.get(String(params['progressToken']))?.(params);
        return;
      }
      for (const listener of this.listeners) listener({ method: message.method, params });
    };
  }
}

/**
 * Upstream MCP client sessions per (connection, principal), opened on first use and closed
 * after they sit idle. Per principal, so a user's credential is never shared with another.
 */
export class UpstreamSessions {
  private readonly sessions = new Map<string, Promise<UpstreamSession>>();
  private readonly evictionTimer: NodeJS.Timeout;

  constructor(
    private readonly credentials: UpstreamCredentials,
    private readonly idleMs: () => number,
    private readonly logger: Logger,
    /** Which internal addresses upstreams may be at (SSRF guard); unset: no check. */
    private readonly egress?: () => EgressGuard,
  ) {
    this.evictionTimer = setInterval(() => this.evictIdle(), 10_000);
    this.evictionTimer.unref();
  }

  /** The principal's open session on the connection, opening it when there is none. */
  async acquire(
    connection: McpConnection,
    principal: Principal,
    callerJwt: string,
  ): Promise<UpstreamSession> {
    // Resolve the credential first: a missing one is the caller's error, not the upstream's.
    await this.credentials.authorization(connection, principal, callerJwt);
    const key = `${connection.name}\u0000${principal.id}`;
    let pending = this.sessions.get(key);
    if (!pending) {
      pending = this.open(key, connection, principal);
      this.sessions.set(key, pending);
      pending.catch(() => this.sessions.delete(key));
    }
    const session = await pending;
    session.callerJwt = callerJwt;
    session.lastUsedAt = Date.now();
    return session;
  }

  /** Closes a session that failed (the next call opens a new one). */
  discard(session: UpstreamSession): void {
    if (this.sessions.get(session.key) === undefined) return;
    this.sessions.delete(session.key);
    void session.client.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.evictionTimer);
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      open.map((pending) =>
        pending.then((session) => session.client.close()).catch(() => undefined),
      ),
    );
  }

  private async open(
    key: string,
    connection: McpConnection,
    principal: Principal,
  ): Promise<UpstreamSession> {
    const client = new Client(clientInfo, { capabilities: {} });
    const session = new UpstreamSession(key, client);
    client.onclose = () => {
      if (this.sessions.get(key)) this.sessions.delete(key);
    };
    client.onerror = (error) =>
      this.logger.warn('upstream MCP session error', {
        connection: connection.name,
        error: error.message,
      });
    const transport = this.transportFor(connection, principal, session);
    await client.connect(transport, { timeout: connection.config.timeout_ms });
    session.interceptNotifications(transport);
    return session;
  }

  private transportFor(
    connection: McpConnection,
    principal: Principal,
    session: UpstreamSession,
  ): Transport {
    const config = connection.config;
    if (config.command) {
      return new StdioClientTransport({
        command: config.command,
        args: config.args,
        // Only a minimal environment plus the connection's own: never the gateway's secrets.
        env: { ...getDefaultEnvironment(), ...config.env },
        stderr: 'ignore',
      });
    }
    const guard = this.egress?.();
    const url = new URL(config.url ?? '');
    guard?.checkUrl(url);
    const send = upstreamFetch(guard);
    return new StreamableHTTPClientTransport(url, {
      // The credential is looked up per HTTP request, so an exchanged token that expired is
      // replaced without reopening the session.
      fetch: async (url, init) =>
        send(
          url,
          init,
          await this.credentials.authorization(connection, principal, session.callerJwt),
        ),
    });
  }

  private evictIdle(): void {
    const idleBefore = Date.now() - this.idleMs();
    for (const [key, pending] of this.sessions) {
      pending
        .then((session) => {
          if (session.inFlight === 0 && session.lastUsedAt < idleBefore) {
            if (this.sessions.get(key) === pending) this.sessions.delete(key);
            return session.client.close();
          }
          return undefined;
        })
        .catch(() => undefined);
    }
  }
}
