import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { z } from 'zod';

const text = z.string().max(256).optional();

/** The query string every report accepts (unknown keys are refused). */
export const reportParametersSchema = z.strictObject({
  by: text,
  since: text,
  until: text,
  order: z.enum(['cost', 'requests', 'tokens']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  endpoint: text,
  principal: text,
  model: text,
  provider: text,
  tag: text,
  search: text,
});

export type ReportParameters = z.infer<typeof reportParametersSchema>;

/** Validates a query string; the first problem becomes a 400 naming the parameter. */
export function parseReportParameters(query: unknown): ReportParameters {
  const parsed = reportParametersSchema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param =
    issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(',') : '');
  throw new GatewayError(
    GatewayErrorCode.InvalidRequest,
    `Invalid query parameter ${param}: ${issue?.message ?? 'invalid'}`,
    { param },
  );
}
