import { z } from 'zod';
import { chatUsageSchema } from './chat-usage';

const toolCall = z.looseObject({
  id: z.string(),
  type: z.string().default('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string().default('') }),
});

/** An OpenAI `chat.completion` object, as far as the gateway reads and writes it. */
export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.string(),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: z.looseObject({
        role: z.string(),
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(toolCall).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: chatUsageSchema.nullish(),
});

const toolCallDelta = z.looseObject({
  index: z.number().int().nonnegative(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z
    .looseObject({ name: z.string().nullish(), arguments: z.string().nullish() })
    .nullish(),
});

/** An OpenAI `chat.completion.chunk` object (one SSE event of a streamed completion). */
export const chatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.string(),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      delta: z.looseObject({
        role: z.string().nullish(),
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(toolCallDelta).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: chatUsageSchema.nullish(),
});

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
export type ChatCompletionChoice = ChatCompletion['choices'][number];
export type ChatCompletionToolCall = z.infer<typeof toolCall>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
export type ChatCompletionChunkChoice = ChatCompletionChunk['choices'][number];
export type ChatToolCallDelta = z.infer<typeof toolCallDelta>;
