import { type EntitySpan } from '../entity-span';

/**
 * Replaces detected values with typed placeholders (`[EMAIL_1]`). One masker per request keeps
 * placeholders consistent: the same value gets the same placeholder in every message.
 */
export class PiiMasker {
  private readonly placeholders = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  mask(text: string, spans: readonly EntitySpan[]): string {
    if (spans.length === 0) return text;
    let out = '';
    let cursor = 0;
    for (const span of spans) {
      out +=
        text.slice(cursor, span.start) +
        this.placeholderFor(span.type, text.slice(span.start, span.end));
      cursor = span.end;
    }
    return out + text.slice(cursor);
  }

  private placeholderFor(type: string, value: string): string {
    const key = `${type}\u0000${value}`;
    let placeholder = this.placeholders.get(key);
    if (!placeholder) {
      const next = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, next);
      placeholder = `[${type.toUpperCase()}_${next}]`;
      this.placeholders.set(key, placeholder);
    }
    return placeholder;
  }
}
