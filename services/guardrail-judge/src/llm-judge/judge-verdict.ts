import { chatCompletionResponseSchema } from '@aigw/llm-api';
import { z } from 'zod';

/** The structured verdict a judge model is asked for. */
export const judgeVerdictSchema = z.object({
  verdict: z.enum(['pass', 'fail']),
  categories: z.array(z.string().max(100)).max(50).default([]),
  reason: z.string().default(''),
});

export type JudgeVerdict = z.infer<typeof judgeVerdictSchema>;

/**
 * Reads the verdict out of an OpenAI-format chat completion body; undefined when the body, the
 * message or the JSON in it does not have the verdict's shape. A fenced ```json block is accepted
 * because models add one even when asked for bare JSON.
 */
export function parseJudgeVerdict(body: Uint8Array): JudgeVerdict | undefined {
  const completion = chatCompletionResponseSchema.safeParse(
    parseJson(Buffer.from(body).toString('utf8')),
  );
  const content = completion.success ? completion.data.choices[0]?.message?.content : undefined;
  if (!content) return undefined;
  const unfenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content)?.[1] ?? content;
  const verdict = judgeVerdictSchema.safeParse(parseJson(unfenced));
  return verdict.success ? verdict.data : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
