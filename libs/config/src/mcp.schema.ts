import { z } from 'zod';

const name = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"');
/** A tool name, or a pattern where `*` matches any run of characters (e.g. `get-*`). */
const toolPattern = z
  .string()
  .regex(/^[a-zA-Z0-9_*./:-]{1,128}$/, 'must be a tool name, optionally with * wildcards');

const allowList = z
  .strictObject({
    principals: z.array(name).default([]),
    groups: z.array(name).default([]),
  })
  .default({ principals: [], groups: [] });

/** A sliding 60-second window of calls (counted in Redis when runtime.redis is set). */
const callBudget = z.strictObject({ requests_per_minute: z.number().int().min(1) });

/** RFC 8693 token exchange: the upstream gets a token minted for the calling user. */
const tokenExchange = z.strictObject({
  token_endpoint: z.url({ protocol: /^https?$/ }),
  client_id: z.string().min(1),
  client_secret: z.string().min(1).optional(),
  audience: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
  /** What to ask the token endpoint for. */
  requested_token_type: z.string().min(1).default('urn:ietf:params:oauth:token-type:access_token'),
});

/**
 * One governed MCP server: how to reach it, whose credential it gets, who may use it and which
 * of its tools they may call.
 */
export const mcpConnectionSchema = z
  .strictObject({
    /** Streamable HTTP upstream. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** Or a local server started over stdio (one process per principal). */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    /** Extra environment for a stdio server (it does not inherit the gateway's secrets). */
    env: z.record(z.string(), z.string()).default({}),
    /** none: no credential; service: one shared credential; obo: the calling user's own. */
    auth: z.enum(['none', 'service', 'obo']).default('none'),
    /** auth: service — sent upstream as `Authorization: Bearer <value>`; use ${ENV}. */
    service_credential: z.string().min(1).optional(),
    /** auth: obo — exchange a token for the user (RFC 8693)... */
    token_exchange: tokenExchange.optional(),
    /** ...or use the credential each user stored with PUT /mcp-credentials/<connection>. */
    credentials: z.literal('per_user').optional(),
    allow: allowList,
    tools: z
      .strictObject({
        /** Tools anyone allowed on the connection may see and call; default every tool. */
        allow: z.array(toolPattern).optional(),
        /** Tools nobody may see or call; wins over allow. */
        deny: z.array(toolPattern).default([]),
        /** Tools only some principals or groups may see and call. */
        grants: z.record(toolPattern, allowList).default({}),
      })
      .default({ deny: [], grants: {} }),
    /** Guardrails run on tool-call arguments and on tool results. */
    guardrails: z
      .strictObject({
        arguments: z.array(name).default([]),
        results: z.array(name).default([]),
      })
      .default({ arguments: [], results: [] }),
    rate_limit: z
      .strictObject({
        per_connection: callBudget.optional(),
        per_principal: callBudget.optional(),
      })
      .default({}),
    /** Longest wait for the upstream's answer to one operation. */
    timeout_ms: z.number().int().min(1).max(3_600_000).default(120_000),
  })
  .superRefine((connection, context) => {
    const issue = (path: string, message: string): void =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (Boolean(connection.url) === Boolean(connection.command)) {
      issue('url', 'give exactly one of url (Streamable HTTP) or command (stdio)');
    }
    if (connection.auth === 'service' && !connection.service_credential) {
      issue('service_credential', 'auth: service needs a service_credential');
    }
    if (connection.auth !== 'service' && connection.service_credential) {
      issue('service_credential', 'only auth: service uses a service_credential');
    }
    if (connection.auth === 'obo') {
      if (connection.command) issue('auth', 'auth: obo needs an HTTP upstream (url)');
      if (Boolean(connection.token_exchange) === Boolean(connection.credentials)) {
        issue('auth', 'auth: obo needs exactly one of token_exchange or credentials: per_user');
      }
    } else {
      if (connection.token_exchange) issue('token_exchange', 'only auth: obo exchanges tokens');
      if (connection.credentials) issue('credentials', 'only auth: obo uses per-user credentials');
    }
    if (connection.command && connection.auth === 'service') {
      issue('auth', 'a stdio server gets no bearer credential: pass it in env instead');
    }
  });

/** The `mcp:` part of aigw.yaml. */
export const mcpSchema = z
  .strictObject({
    connections: z.record(name, mcpConnectionSchema).default({}),
    /** An upstream session unused this long is closed. */
    session_idle_seconds: z.number().int().min(1).max(86_400).default(300),
    /**
     * The JWT the gateway signs for a user as the subject token of a token exchange (HS256;
     * the token endpoint verifies it with the same secret). Use ${ENV} for the secret.
     */
    subject_token: z
      .strictObject({
        issuer: z.string().min(1).default('aigw'),
        secret: z.string().min(32, 'must be at least 32 characters'),
        ttl_seconds: z.number().int().min(10).max(3600).default(300),
      })
      .optional(),
    /** base64 of 32 random bytes: the AES-256-GCM key of stored per-user credentials. */
    credential_key: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, {
        message: 'must be base64 of exactly 32 bytes (openssl rand -base64 32)',
      })
      .optional(),
  })
  .default({ connections: {}, session_idle_seconds: 300 })
  .superRefine((mcp, context) => {
    for (const [connectionName, connection] of Object.entries(mcp.connections)) {
      if (connection.token_exchange && !mcp.subject_token) {
        context.addIssue({
          code: 'custom',
          path: ['subject_token'],
          message: `connection "${connectionName}" exchanges tokens: set mcp.subject_token`,
        });
      }
      if (connection.credentials === 'per_user' && !mcp.credential_key) {
        context.addIssue({
          code: 'custom',
          path: ['credential_key'],
          message: `connection "${connectionName}" stores per-user credentials: set mcp.credential_key`,
        });
      }
    }
  });

export type McpConfig = z.infer<typeof mcpSchema>;
export type McpConnectionConfig = z.infer<typeof mcpConnectionSchema>;
