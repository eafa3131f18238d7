import { z } from 'zod';

// Only the fields the mock reads are checked; everything else passes through untouched.

const block = z.looseObject({ type: z.string(), text: z.string().optional() });

const message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(block)]),
});

/** The part of a Messages request body the mock understands. */
export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(block)]).optional(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
});

/** The part of a count_tokens request body the mock understands (no max_tokens). */
export const countTokensRequestSchema = messagesRequestSchema.omit({
  max_tokens: true,
  stream: true,
});

/** A Messages request as the mock sees it (unknown fields kept). */
export type MockMessagesRequest = z.infer<typeof messagesRequestSchema>;
export type MockCountTokensRequest = z.infer<typeof countTokensRequestSchema>;

/** The first problem of a body, phrased like Anthropic's 400 `invalid_request_error`. */
export function requestProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  if (issue?.code === 'invalid_type' && issue.input === undefined) return `${path}: Field required`;
  return `${path}: ${issue?.message ?? 'invalid'}`;
}
