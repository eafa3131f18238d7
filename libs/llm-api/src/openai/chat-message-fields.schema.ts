import { z } from 'zod';

// The request fields beyond text that translations to other APIs read. The request schema keeps
// them as unknown pass-through fields; these schemas read them where they are needed.

/** `tool_calls` of an assistant message. */
export const chatRequestToolCallsSchema = z.array(
  z.looseObject({
    id: z.string(),
    type: z.string().optional(),
    function: z.looseObject({ name: z.string(), arguments: z.string().default('') }),
  }),
);

/** An `image_url` content part: a URL or a `data:<media type>;base64,<data>` URL. */
export const chatImagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string() })]),
});

/** A function tool definition of the request's `tools`. */
export const chatFunctionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The request's `tool_choice`. */
export const chatToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

export type ChatRequestToolCall = z.infer<typeof chatRequestToolCallsSchema>[number];
export type ChatFunctionTool = z.infer<typeof chatFunctionToolSchema>;
export type ChatToolChoice = z.infer<typeof chatToolChoiceSchema>;
