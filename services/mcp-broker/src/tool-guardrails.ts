import {
  type GuardrailServiceClient,
  type RequestContext,
  Stage,
  type TextPart,
  Verdict,
} from '@aigw/contracts';

type Json = unknown;

/** What a guardrail pass did to a JSON value. */
export interface GuardedValue<T> {
  readonly value: T;
  /** The guardrail that blocked, if one did. */
  readonly blockedBy?: string;
}

/** Every string inside a JSON value, addressed by its dotted path. */
function stringLeaves(value: Json, path: string[], out: { path: string[]; text: string }[]): void {
  if (typeof value === 'string') {
    out.push({ path, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => stringLeaves(item, [...path, String(index)], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) stringLeaves(item, [...path, key], out);
  }
}

function withReplacements(value: Json, replacements: Map<string, string>, path: string[]): Json {
  if (typeof value === 'string') return replacements.get(path.join('.')) ?? value;
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      withReplacements(item, replacements, [...path, String(index)]),
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        withReplacements(item, replacements, [...path, key]),
      ]),
    );
  }
  return value;
}

/**
 * Runs the connection's guardrails (guardrail-judge's Evaluate) over the strings of tool-call
 * arguments and tool results: masking rewrites them, a block refuses the call or the result.
 */
export class ToolGuardrails {
  constructor(private readonly guardrails: GuardrailServiceClient) {}

  async guard<T extends Json>(
    context: RequestContext,
    stage: 'arguments' | 'results',
    names: readonly string[],
    prefix: string,
    value: T,
  ): Promise<GuardedValue<T>> {
    if (names.length === 0) return { value };
    const leaves: { path: string[]; text: string }[] = [];
    stringLeaves(value, [prefix], leaves);
    if (leaves.length === 0) return { value };
    const parts: TextPart[] = leaves.map((leaf) => ({
      path: leaf.path.join('.'),
      text: leaf.text,
    }));
    const verdict = await this.guardrails.evaluate({
      context,
      stage: stage === 'arguments' ? Stage.STAGE_REQUEST : Stage.STAGE_RESPONSE,
      guardrails: [...names],
      parts,
      grounding: [],
    });
    if (verdict.verdict === Verdict.VERDICT_BLOCKED) return { value, blockedBy: verdict.blockedBy };
    if (verdict.maskedParts.length === 0) return { value };
    const replacements = new Map(verdict.maskedParts.map((part) => [part.path, part.text]));
    return { value: withReplacements(value, replacements, [prefix]) as T };
  }
}
