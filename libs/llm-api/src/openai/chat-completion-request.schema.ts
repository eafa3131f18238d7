import { z } from 'zod';

/** A content part of a chat message (text, image_url, input_audio, file…); only text is read. */
const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

/** A function call's name and JSON-encoded arguments, as the model wrote them. */
const functionCall = z.looseObject({ name: z.string().optional(), arguments: z.string() });

/** An assistant's tool call; only function calls carry guardable text. */
const toolCall = z.looseObject({ function: functionCall.optional() });

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).nullish(),
  /** The deprecated single function call. */
  function_call: functionCall.nullish(),
});

/**
 * The OpenAI chat completions request, as far as the gateway reads it; every other field passes
 * through to the provider untouched.
 */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  messages: z.array(message).min(1).max(10_000),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = ChatCompletionRequest['messages'][number];
