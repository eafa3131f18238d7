import { z } from 'zod';

// Only the fields the mock reads are checked; everything else passes through untouched.

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

const chatMessage = z.looseObject({
  role: z.enum(['developer', 'system', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});

/** The part of a chat completion request body the mock understands. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessage).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});

/** A chat completion request as the mock sees it (unknown fields kept). */
export type MockChatRequest = z.infer<typeof chatRequestSchema>;

/** One chat message of a {@link MockChatRequest}. */
export type MockChatMessage = MockChatRequest['messages'][number];

const tokenIds = z.array(z.number().int().min(0)).min(1);

/** The part of an embeddings request body the mock understands. */
export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1), tokenIds, z.array(tokenIds).min(1)]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().min(1).max(4096).nullish(),
});

/** An embeddings request as the mock sees it. */
export type MockEmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** Why a body was rejected, in the terms of an OpenAI 400 error. */
export interface RequestProblem {
  readonly message: string;
  readonly param: string;
  readonly code: 'missing_required_parameter' | 'invalid_value';
}

/** Parses a body against a schema; a failure names the first bad parameter as OpenAI would. */
export function parseRequestBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): { ok: true; value: z.infer<Schema> } | { ok: false; problem: RequestProblem } {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const param = openAiParamPath(issue?.path ?? []);
  if (issue?.code === 'invalid_type' && issue.input === undefined) {
    return {
      ok: false,
      problem: {
        message: `Missing required parameter: '${param}'.`,
        param,
        code: 'missing_required_parameter',
      },
    };
  }
  return {
    ok: false,
    problem: {
      message: `Invalid value for '${param}': ${issue?.message ?? 'invalid'}.`,
      param,
      code: 'invalid_value',
    },
  };
}

/** `['messages', 0, 'content']` → `messages[0].content`, OpenAI's spelling of a parameter. */
function openAiParamPath(path: readonly PropertyKey[]): string {
  let param = '';
  for (const key of path) {
    if (typeof key === 'number') param += `[${key}]`;
    else param += param === '' ? String(key) : `.${String(key)}`;
  }
  return param;
}
