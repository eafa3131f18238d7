import { z } from 'zod';
import { customPatternProblem, piiEntityTypes, secretTypes } from '@aigw/guardrails';
import { pricingSchema, providerReliabilityFields, targetRoutingFields } from './routing.schema';
import {
  budgetSchema,
  endpointLimitFields,
  groupSchema,
  limitsRuntimeSchema,
  limitsSchema,
} from './limits.schema';
import { authSchema } from './auth.schema';
import { mcpSchema } from './mcp.schema';

const name = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"');
const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port');
const ipv4Port = /^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/;
const ipv6Port = /^\[[0-9a-fA-F:.]+\]:\d{1,5}$/;
/**
 * Where callers reach a service: one host:port (a DNS name may resolve to several replicas), or
 * a comma-separated list of replicas by IP (e.g. one host, a port each), or a grpc `scheme://`.
 */
const serviceAddress = z.string().refine(
  (value) => {
    if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(value)) return true;
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.length === 1) return /^[^:\s]+:\d{1,5}$/.test(entries[0]!);
    return (
      entries.every((entry) => ipv4Port.test(entry)) ||
      entries.every((entry) => ipv6Port.test(entry))
    );
  },
  {
    message:
      'must be host:port, a scheme:// target, or a comma-separated list of IPv4 (or [IPv6]) host:port',
  },
);

const mockProvider = z.strictObject({
  type: z.literal('mock'),
  /** Artificial delay before answering, for demos and tests. */
  latency_ms: z.number().int().min(0).max(60_000).default(0),
  ...providerReliabilityFields,
});

const openAiProvider = z.strictObject({
  type: z.literal('openai'),
  base_url: z.url({ protocol: /^https?$/ }),
  api_key: z.string().min(1).optional(),
  timeout_ms: z.number().int().min(1).max(600_000).default(60_000),
  ...providerReliabilityFields,
});

/** Anthropic Messages API; requests are translated from and to OpenAI chat format. */
const anthropicProvider = z.strictObject({
  type: z.literal('anthropic'),
  base_url: z.url({ protocol: /^https?$/ }).default('https://api.anthropic.com'),
  api_key: z.string().min(1).optional(),
  /** Sent as the `anthropic-version` header. */
  anthropic_version: z.string().min(1).default('2023-06-01'),
  timeout_ms: z.number().int().min(1).max(600_000).default(60_000),
  ...providerReliabilityFields,
});

/** Google Gemini API (generateContent); requests are translated from and to OpenAI chat format. */
const geminiProvider = z.strictObject({
  type: z.literal('gemini'),
  base_url: z.url({ protocol: /^https?$/ }).default('https://generativelanguage.googleapis.com'),
  /** Sent as the `x-goog-api-key` header. */
  api_key: z.string().min(1).optional(),
  /** The path segment before `/models/…`. */
  api_version: z
    .string()
    .regex(/^v\d+[a-z0-9]*$/, 'must be like v1beta or v1')
    .default('v1beta'),
  timeout_ms: z.number().int().min(1).max(600_000).default(60_000),
  ...providerReliabilityFields,
});

/**
 * Azure OpenAI: `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`
 * with an `api-key` header. A target's model is looked up in `deployments`; a model not listed
 * is taken as the deployment name itself.
 */
const azureOpenAiProvider = z.strictObject({
  type: z.literal('azure_openai'),
  /** e.g. `https://my-resource.openai.azure.com`. */
  endpoint: z.url({ protocol: /^https?$/ }),
  api_key: z.string().min(1).optional(),
  api_version: z.string().min(1).default('2024-10-21'),
  /** Target model → deployment name. */
  deployments: z.record(z.string().min(1), z.string().regex(/^[a-zA-Z0-9._-]{1,64}$/)).default({}),
  timeout_ms: z.number().int().min(1).max(600_000).default(60_000),
  ...providerReliabilityFields,
});

export const providerSchema = z.discriminatedUnion('type', [
  mockProvider,
  openAiProvider,
  anthropicProvider,
  geminiProvider,
  azureOpenAiProvider,
]);

const target = z.strictObject({
  provider: name,
  model: z.string().min(1),
  weight: z.number().int().min(1).max(1000).default(1),
  ...targetRoutingFields,
});

const endpoint = z.strictObject({
  /** The one API an endpoint serves: chat (`/v1/chat/completions`, `/v1/messages`) or embeddings. */
  kind: z.enum(['chat', 'embeddings']).default('chat'),
  targets: z.array(target).min(1, 'an endpoint needs at least one target'),
  guardrails: z
    .strictObject({
      request: z.array(name).default([]),
      response: z.array(name).default([]),
    })
    .default({ request: [], response: [] }),
  /** Who may use it; anyone not listed is denied. */
  allow: z
    .strictObject({
      principals: z.array(name).default([]),
      groups: z.array(name).default([]),
    })
    .default({ principals: [], groups: [] }),
  /** Labels for cost reporting (e.g. team, cost centre); grouped on as `endpoint_tag:<key>`. */
  tags: z.record(z.string(), z.string()).default({}),
  /** Full request/response bodies to aigw.payloads.v1 and ClickHouse `inference_payloads`. */
  payload_logging: z
    .strictObject({
      enabled: z.boolean().default(false),
      retention_days: z.number().int().min(1).max(3650).default(30),
    })
    .default({ enabled: false, retention_days: 30 }),
  ...endpointLimitFields,
});

const principal = z.strictObject({
  kind: z.enum(['user', 'service']).default('user'),
  groups: z.array(name).default([]),
  roles: z.array(z.enum(['admin', 'analytics'])).default([]),
  tags: z.record(z.string(), z.string()).default({}),
  limits: limitsSchema.optional(),
});

const apiKey = z.strictObject({
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lower-case hex SHA-256 of the key'),
  principal: name,
  name: z.string().max(200).optional(),
});

/**
 * Where a guardrail may be listed: under an endpoint's request list, response list, or both
 * (the default when absent).
 */
const guardrailStage = z.enum(['request', 'response', 'both']).optional();

/** A custom entity: its name becomes the placeholder type (`employee_id` → `[EMPLOYEE_ID_1]`). */
const customEntity = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be lower snake case, 1-32 characters'),
    pattern: z.string().min(1),
    ignore_case: z.boolean().default(false),
  })
  .superRefine((entity, context) => {
    // Compiled here once so a bad pattern is a config error with its path, never a crash later.
    const problem = customPatternProblem(entity.pattern, entity.ignore_case);
    if (problem) context.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

const piiGuardrail = z.strictObject({
  type: z.literal('pii'),
  stage: guardrailStage,
  action: z.enum(['mask', 'block', 'log']).default('mask'),
  entities: z.array(z.enum(piiEntityTypes)).min(1).default(['email', 'phone']),
  custom: z.array(customEntity).optional(),
});

const secretsGuardrail = z.strictObject({
  type: z.literal('secrets'),
  stage: guardrailStage,
  action: z.enum(['block', 'mask', 'log']).default('block'),
  /** Built-in token and key formats to look for; all by default. */
  detectors: z.array(z.enum(secretTypes)).default([...secretTypes]),
  /** Terms that must never leave the company (code names, customers); case-insensitive. */
  never_send: z.array(z.string().trim().min(1).max(200)).default([]),
  /** Document classification markers, e.g. "CONFIDENTIAL – INTERNAL"; case-insensitive. */
  markers: z.array(z.string().trim().min(1).max(200)).default([]),
  custom: z.array(customEntity).optional(),
});

const promptInjectionGuardrail = z.strictObject({
  type: z.literal('prompt_injection'),
  stage: guardrailStage,
  action: z.enum(['block', 'log']).default('block'),
  /** Heuristic score (0-1) at or above which a text counts as an injection attempt. */
  threshold: z.number().gt(0).max(1).default(0.5),
});

/**
 * A guardrail decided by a model: the judge calls the targets of a gateway endpoint with an
 * editable prompt and reads back a structured verdict.
 */
const llmJudgeGuardrail = z.strictObject({
  type: z.literal('llm_judge'),
  stage: guardrailStage,
  kind: z.enum(['content_safety', 'hallucination', 'custom']),
  /** A gateway endpoint whose targets answer the judge. */
  endpoint: name,
  /** The judge's instructions; each kind has a default, a custom judge must give one. */
  prompt: z.string().trim().min(1).max(20_000).optional(),
  timeout_ms: z.number().int().min(1).max(120_000).default(5000),
  /** What an unanswered or unreadable judgement counts as. */
  on_error: z.enum(['fail_open', 'fail_closed']).default('fail_closed'),
  action: z.enum(['block', 'log']).default('block'),
});

export const guardrailSchema = z.discriminatedUnion('type', [
  piiGuardrail,
  secretsGuardrail,
  promptInjectionGuardrail,
  llmJudgeGuardrail.refine((guardrail) => guardrail.kind !== 'custom' || guardrail.prompt, {
    path: ['prompt'],
    message: 'a custom judge needs a prompt',
  }),
]);

const runtime = z
  .strictObject({
    http: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(8080),
        body_limit_bytes: z.coerce
          .number()
          .int()
          .min(1024)
          .default(4 * 1024 * 1024),
        /**
         * Longest a client may take to send a whole request (headers and body); slower ones get
         * 408 and their connection closed, so slow clients cannot hold the gateway's sockets.
         */
        request_timeout_ms: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
      })
      .prefault({}),
    data_dir: z.string().default('./data'),
    /**
     * Outbound calls (providers, MCP upstreams) to loopback, private, link-local (cloud
     * metadata) and other internal addresses are refused unless listed here: IPs, CIDRs or
     * host names, e.g. `[127.0.0.1, 10.20.0.0/16, models.internal]`. Checked after DNS.
     */
    egress: z.strictObject({ allow_private: z.array(z.string().min(1)).default([]) }).prefault({}),
    kafka: z
      .strictObject({
        brokers: z
          .union([z.string(), z.array(z.string())])
          .transform((value) =>
            (Array.isArray(value) ? value : value.split(','))
              .map((broker) => broker.trim())
              .filter(Boolean),
          )
          .pipe(z.array(hostPort).min(1)),
        client_id: z.string().default('aigw'),
      })
      .optional(),
    clickhouse: z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('embedded'), path: z.string().optional() }),
        z.strictObject({
          mode: z.literal('http'),
          url: z.url(),
          database: z.string().default('default'),
          username: z.string().default('default'),
          password: z.string().default(''),
        }),
      ])
      .default({ mode: 'embedded' }),
    /** Shared state for cluster mode (gateway keys; rate limits and budgets). */
    redis: z
      .strictObject({
        url: z.url({ protocol: /^rediss?$/ }),
        /** Prepended to every Redis key, so several gateways can share one Redis. */
        key_prefix: z.string().max(64).default('aigw:'),
        /** A Redis command not answered within this time counts as Redis being down. */
        command_timeout_ms: z.number().int().min(1).max(60_000).default(1000),
      })
      .optional(),
    limits: limitsRuntimeSchema,
    services: z
      .strictObject({
        policy: serviceAddress.default('127.0.0.1:50051'),
        guardrail_judge: serviceAddress.default('127.0.0.1:50052'),
        provider_router: serviceAddress.default('127.0.0.1:50053'),
        mcp_broker: serviceAddress.default('127.0.0.1:50054'),
        analytics_sink: serviceAddress.default('127.0.0.1:50055'),
      })
      .prefault({}),
  })
  .prefault({});

/** The whole aigw.yaml. */
export const configSchema = z.strictObject({
  version: z.literal(1),
  runtime,
  providers: z.record(name, providerSchema).default({}),
  endpoints: z.record(name, endpoint).default({}),
  principals: z.record(name, principal).default({}),
  /** Group limits, shared by the group's members together. */
  groups: z.record(name, groupSchema).default({}),
  /** Dollar budgets per user, group, endpoint or request tag, per UTC day or month. */
  budgets: z.array(budgetSchema).default([]),
  keys: z.array(apiKey).default([]),
  guardrails: z.record(name, guardrailSchema).default({}),
  pricing: pricingSchema,
  mcp: mcpSchema,
  auth: authSchema,
});

export type AigwConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type GuardrailConfig = z.infer<typeof guardrailSchema>;
export type EndpointConfig = AigwConfig['endpoints'][string];
export type PrincipalConfig = AigwConfig['principals'][string];
export type RuntimeConfig = AigwConfig['runtime'];
