/** Sizes of the hold-back window, in UTF-16 characters. */
export interface HoldBackOptions {
  /** New text to gather before a window is evaluated (fewer guardrail calls). */
  readonly windowChars: number;
  /**
   * Text always kept back after an evaluation: longer than any entity a detector finds, so an
   * entity whose start arrived but whose end has not is never released half-seen.
   */
  readonly holdChars: number;
  /** Hard bound: past this, the evaluated window is released whole even without a clean cut. */
  readonly maxChars: number;
}

/** Defaults sized for keys and JWTs (≤ ~200 chars) while adding ~100 tokens of latency. */
export const defaultHoldBackOptions: HoldBackOptions = {
  windowChars: 128,
  holdChars: 256,
  maxChars: 2048,
};

// Typed placeholders the guardrails write (`[EMAIL_1]`, `[OPENAI_KEY_2]`).
const placeholder = /\[[A-Z][A-Z0-9_]*_\d+\]/g;

/**
 * Holds back streamed text so detectors see entities whole even when they arrive split across
 * chunks. The caller evaluates `window()` (raw text) and hands the masked result to `release`,
 * which returns what may go to the client now and keeps the rest, raw, for the next window.
 *
 * The cut is taken only in the text after the last placeholder (there masked and raw text are
 * the same characters, so positions map 1:1) and at least `holdChars` before the end.
 */
export class StreamHoldBack {
  private pending = '';

  constructor(private readonly options: HoldBackOptions = defaultHoldBackOptions) {}

  push(delta: string): void {
    this.pending += delta;
  }

  /** Characters held and not yet released. */
  get heldChars(): number {
    return this.pending.length;
  }

  /** Enough text is held to evaluate a window and still keep `holdChars` back. */
  shouldEvaluate(): boolean {
    return this.pending.length >= this.options.windowChars + this.options.holdChars;
  }

  /** The raw text to evaluate next. */
  window(): string {
    return this.pending;
  }

  /**
   * Takes the evaluated (possibly masked) form of `window()`. With `final` (end of stream)
   * everything is released; otherwise a prefix at a safe cut, or nothing until more arrives.
   */
  release(masked: string, final = false): string {
    const raw = this.pending;
    if (final) {
      this.pending = '';
      return masked;
    }
    const literalTail = masked === raw ? raw.length : masked.length - lastPlaceholderEnd(masked);
    const cutMin = raw.length - literalTail;
    const cutMax = raw.length - this.options.holdChars;
    let cut = cutMax >= cutMin ? cleanCut(raw, cutMin, cutMax) : -1;
    if (cut < 0 && raw.length >= this.options.maxChars) {
      // Bounded memory and latency: cut right after the last detected entity, or give up holding.
      cut = literalTail > 0 ? cutMin : raw.length;
    }
    if (cut <= 0) return '';
    this.pending = raw.slice(cut);
    return masked.slice(0, masked.length - (raw.length - cut));
  }
}

function lastPlaceholderEnd(text: string): number {
  let end = 0;
  for (const match of text.matchAll(placeholder)) end = match.index + match[0].length;
  return end;
}

/** The last whitespace position in [min, max], else max: words stay whole where possible. */
function cleanCut(text: string, min: number, max: number): number {
  for (let index = max; index > min; index--) {
    const code = text.charCodeAt(index - 1);
    if (code === 32 || code === 10 || code === 9 || code === 13) return index;
  }
  // Never split a surrogate pair (an emoji) between two chunks.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
