import { z } from 'zod';
import { type ChatTextPart, applyByMessage, messageTextParts } from './chat-text-parts';

const functionCall = z.looseObject({ arguments: z.string() });

/** The parts of a (non-streamed) chat completion the gateway guards; the rest passes through. */
export const chatCompletionResponseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z
          .looseObject({
            content: z.string().nullish(),
            tool_calls: z.array(z.looseObject({ function: functionCall.optional() })).nullish(),
            function_call: functionCall.nullish(),
          })
          .optional(),
      }),
    )
    .default([]),
});

export type ChatCompletionResponse = z.infer<typeof chatCompletionResponseSchema>;

/** Every text a response guardrail must see: `choices.N.message` contents and tool arguments. */
export function chatCompletionTextParts(response: ChatCompletionResponse): ChatTextPart[] {
  return response.choices.flatMap((choice, index) =>
    choice.message ? messageTextParts(`choices.${index}.message`, choice.message) : [],
  );
}

/** Writes masked texts back into a response (paths from chatCompletionTextParts). */
export function applyChatCompletionTextParts(
  response: ChatCompletionResponse,
  replacements: readonly ChatTextPart[],
): void {
  applyByMessage(
    replacements,
    /^choices\.(\d+)\.message\.(.+)$/,
    (index) => response.choices[index]?.message,
  );
}
