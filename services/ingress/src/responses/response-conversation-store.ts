import { type ChatMessage } from '@aigw/llm-api';

/**
 * Where the conversations behind Responses API answers are kept, so a later request can
 * continue one with `previous_response_id`. A response is only visible to the principal that
 * created it. `load` throws GatewayError when the store cannot be read; a failed `save` only
 * means the response cannot be continued later.
 */
export interface ConversationStore {
  save(
    principalId: string,
    responseId: string,
    messages: readonly ChatMessage[],
  ): void | Promise<void>;
  load(
    principalId: string,
    responseId: string,
  ): ChatMessage[] | undefined | Promise<ChatMessage[] | undefined>;
}

/** Limits of the in-memory store; the defaults are documented in the README. */
export interface ResponseConversationStoreOptions {
  /** Responses kept at most; the least recently used goes first (default 2,000). */
  readonly maxEntries?: number;
  /** Serialized conversation bytes kept at most, all principals together (default 64 MiB). */
  readonly maxBytes?: number;
  /** How long a response can be continued after it was created (default 1 hour). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly principalId: string;
  readonly json: string;
  readonly expiresAt: number;
}

/**
 * The in-memory {@link ConversationStore}: bounded (entries, bytes, TTL) and per ingress
 * process, used when no Redis is configured (another replica does not know the id; clients
 * then send the whole input, as Codex does with `store: false`).
 */
export class ResponseConversationStore implements ConversationStore {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ResponseConversationStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 2_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Keeps the whole conversation of a response (its input turns and its answer). */
  save(principalId: string, responseId: string, messages: readonly ChatMessage[]): void {
    const json = JSON.stringify(messages);
    if (json.length > this.maxBytes) return;
    this.delete(responseId);
    this.entries.set(responseId, { principalId, json, expiresAt: this.now() + this.ttlMs });
    this.bytes += json.length;
    this.evict();
  }

  /** A copy of the conversation, or undefined when unknown, expired or another principal's. */
  load(principalId: string, responseId: string): ChatMessage[] | undefined {
    const entry = this.entries.get(responseId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.delete(responseId);
      return undefined;
    }
    if (entry.principalId !== principalId) return undefined;
    // Recently used: move to the back of the eviction order.
    this.entries.delete(responseId);
    this.entries.set(responseId, entry);
    return JSON.parse(entry.json) as ChatMessage[];
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(responseId: string): void {
    const entry = this.entries.get(responseId);
    if (!entry) return;
    this.entries.delete(responseId);
    this.bytes -= entry.json.length;
  }

  private evict(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      const over = this.entries.size > this.maxEntries || this.bytes > this.maxBytes;
      if (!over && entry.expiresAt > now) break;
      this.delete(id);
    }
  }
}
