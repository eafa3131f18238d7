import { z } from 'zod';

// Anthropic Messages API request (POST /v1/messages). Only the fields the gateway reads are
// checked; unknown block types and fields are kept so nothing a client sends is rejected for
// being newer than this schema.

const cacheControl = z.looseObject({ type: z.string() }).nullish();

const textBlock = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
});

const imageSource = z.union([
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.string() }),
]);

const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: imageSource,
  cache_control: cacheControl,
});

const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControl,
});

const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

/** Blocks the gateway does not translate (thinking, document, server tools…). */
const otherBlock = z.looseObject({ type: z.string() });

const contentBlock = z.union([textBlock, imageBlock, toolUseBlock, toolResultBlock, otherBlock]);

const message = z.looseObject({
  // `system` mid-conversation: Claude Code sends it (beta mid-conversation-system-2026-04-07).
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const tool = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Absent on server tools (web search, bash…), which have a `type` instead. */
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().nullish(),
});

const toolChoice = z.union([
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);

/** The Anthropic Messages request as the gateway reads it. */
export const anthropicMessagesRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1).max(10_000),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
});

export type AnthropicMessagesRequest = z.infer<typeof anthropicMessagesRequestSchema>;
export type AnthropicRequestMessage = AnthropicMessagesRequest['messages'][number];
export type AnthropicRequestBlock = z.infer<typeof contentBlock>;
export type AnthropicTextBlockParam = z.infer<typeof textBlock>;
export type AnthropicImageBlockParam = z.infer<typeof imageBlock>;
export type AnthropicToolUseBlockParam = z.infer<typeof toolUseBlock>;
export type AnthropicToolResultBlockParam = z.infer<typeof toolResultBlock>;
export type AnthropicTool = z.infer<typeof tool>;
export type AnthropicToolChoice = z.infer<typeof toolChoice>;
