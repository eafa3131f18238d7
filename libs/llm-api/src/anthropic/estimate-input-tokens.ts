/** A flat estimate per image: Anthropic bills about (width × height) / 750, ~1.6k at 1092². */
const tokensPerImage = 1600;

/**
 * A rough input-token count for an Anthropic Messages request (for `count_tokens`): about four
 * characters per token over every text, tool input and tool definition, plus a flat amount per
 * image. Meant for budgeting a context window, not for billing.
 */
export function estimateAnthropicInputTokens(request: {
  readonly system?: unknown;
  readonly messages?: unknown;
  readonly tools?: unknown;
}): number {
  const tally = { characters: 0, images: 0 };
  walk(request.system, tally);
  walk(request.messages, tally);
  if (request.tools !== undefined) tally.characters += JSON.stringify(request.tools).length;
  return Math.ceil(tally.characters / 4) + tally.images * tokensPerImage;
}

function walk(value: unknown, tally: { characters: number; images: number }): void {
  if (typeof value === 'string') {
    tally.characters += value.length;
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, tally);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (record['type'] === 'image' || record['type'] === 'document') {
    tally.images += 1;
    return;
  }
  for (const [key, item] of Object.entries(record)) {
    // Structure (roles, block types, ids) is not text the model reads as tokens.
    if (key === 'type' || key === 'role' || key === 'id' || key === 'tool_use_id') continue;
    if (key === 'input') tally.characters += JSON.stringify(item ?? {}).length;
    else walk(item, tally);
  }
}
