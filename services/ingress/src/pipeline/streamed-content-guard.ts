import { defaultHoldBackOptions, type HoldBackOptions, StreamHoldBack } from './stream-hold-back';

/** Guards one window of streamed text; throws a GatewayError to block. */
export type WindowGuard = (path: string, text: string) => Promise<string>;

interface StreamChoice {
  index?: unknown;
  delta?: { content?: unknown; [key: string]: unknown } | null;
  finish_reason?: unknown;
  [key: string]: unknown;
}

interface StreamChunk {
  choices?: StreamChoice[];
  [key: string]: unknown;
}

/**
 * Applies response guardrails to an OpenAI chat completion stream, chunk by chunk: each
 * choice's `delta.content` goes through a hold-back window, and chunks carry only text that has
 * been guarded. Held text is flushed when the choice finishes or the stream ends. Other fields
 * (role, tool calls, finish reason, usage) pass through in order.
 */
export class StreamedContentGuard {
  private readonly holdBacks = new Map<number, StreamHoldBack>();
  private template: StreamChunk | undefined;

  constructor(
    private readonly guard: WindowGuard,
    private readonly options: HoldBackOptions = defaultHoldBackOptions,
  ) {}

  /** One SSE `data:` payload in; the payloads to send now out (possibly none). */
  async process(payload: string): Promise<string[]> {
    const chunk = parseChunk(payload);
    if (!chunk?.choices || chunk.choices.length === 0) return [payload];
    this.template = chunk;
    let keep = chunk.usage !== undefined && chunk.usage !== null;
    for (const choice of chunk.choices) {
      const index = typeof choice.index === 'number' ? choice.index : 0;
      const delta = choice.delta;
      let text: string | undefined;
      if (delta && typeof delta.content === 'string' && delta.content.length > 0) {
        const holdBack = this.holdBackFor(index);
        holdBack.push(delta.content);
        text = holdBack.shouldEvaluate() ? await this.releaseWindow(index, holdBack, false) : '';
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        text = (text ?? '') + (await this.flushChoice(index));
      }
      if (delta && text !== undefined) delta.content = text;
      else if (!delta && text) choice.delta = { content: text };
      if (text || choice.finish_reason || hasOtherDeltaFields(delta)) keep = true;
    }
    return keep ? [JSON.stringify(chunk)] : [];
  }

  /** At the end of the stream: whatever is still held, guarded, as extra chunks. */
  async finish(): Promise<string[]> {
    const payloads: string[] = [];
    for (const index of [...this.holdBacks.keys()]) {
      const text = await this.flushChoice(index);
      if (!text) continue;
      const { choices: _choices, usage: _usage, ...rest } = this.template ?? {};
      payloads.push(
        JSON.stringify({
          ...rest,
          choices: [{ index, delta: { content: text }, finish_reason: null }],
        }),
      );
    }
    return payloads;
  }

  private holdBackFor(index: number): StreamHoldBack {
    let holdBack = this.holdBacks.get(index);
    if (!holdBack) this.holdBacks.set(index, (holdBack = new StreamHoldBack(this.options)));
    return holdBack;
  }

  private async flushChoice(index: number): Promise<string> {
    const holdBack = this.holdBacks.get(index);
    if (!holdBack || holdBack.heldChars === 0) return '';
    return this.releaseWindow(index, holdBack, true);
  }

  private async releaseWindow(index: number, holdBack: StreamHoldBack, final: boolean) {
    const masked = await this.guard(`choices.${index}.delta.content`, holdBack.window());
    return holdBack.release(masked, final);
  }
}

function parseChunk(payload: string): StreamChunk | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as StreamChunk)
      : undefined;
  } catch {
    return undefined;
  }
}

function hasOtherDeltaFields(delta: StreamChoice['delta']): boolean {
  return !!delta && Object.keys(delta).some((key) => key !== 'content');
}
