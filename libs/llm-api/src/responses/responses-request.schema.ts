import { z } from 'zod';

// OpenAI Responses API request (POST /v1/responses), as far as the gateway reads it. Unknown
// fields and item types are kept (loose objects) so a newer client is not refused for them;
// the translation decides what it can honour and names what it cannot.

/** A content part of an input message: input_text, output_text, refusal, input_image… */
export const responsesContentPartSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  refusal: z.string().optional(),
  image_url: z.string().nullish(),
  detail: z.string().optional(),
});

/** An input message (`type` may be omitted: `{ role, content }` is an easy input message). */
export const responsesMessageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(responsesContentPartSchema)]),
});

/** A function call the model made in an earlier turn, sent back as context. */
export const responsesFunctionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});

/** The result of a function call, produced by the client. */
export const responsesFunctionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(responsesContentPartSchema)]),
});

/** Any other item (reasoning, web_search_call…): its `type` decides how it is treated. */
export const responsesOtherItemSchema = z.looseObject({ type: z.string() });

export const responsesInputItemSchema = z.union([
  responsesMessageItemSchema,
  responsesFunctionCallItemSchema,
  responsesFunctionCallOutputItemSchema,
  responsesOtherItemSchema,
]);

/** A function tool (flat, unlike chat's `{ type, function: {…} }`); other tool types are kept. */
export const responsesFunctionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const responsesToolSchema = z.union([
  responsesFunctionToolSchema,
  z.looseObject({ type: z.string() }),
]);

export const responsesToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.string(), name: z.string().optional() }),
]);

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(responsesInputItemSchema).max(10_000)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(responsesToolSchema).nullish(),
  tool_choice: responsesToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).max(256).nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish() }).nullish(),
  text: z
    .looseObject({
      format: z
        .looseObject({
          type: z.string(),
          name: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
          description: z.string().optional(),
        })
        .nullish(),
    })
    .nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
export type ResponsesContentPart = z.infer<typeof responsesContentPartSchema>;
export type ResponsesTool = z.infer<typeof responsesToolSchema>;
