import { type OnModuleDestroy } from '@nestjs/common';
import { GatewayError, GatewayErrorCode, type Logger } from '@aigw/core';
import { type ChatMessage } from '@aigw/llm-api';
import { Redis } from 'ioredis';
import { type ConversationStore } from './response-conversation-store';

/** Where and how long the Redis store keeps conversations. */
export interface RedisConversationStoreOptions {
  readonly url: string;
  /** Prepended to every key (the gateway's `runtime.redis.key_prefix`). */
  readonly keyPrefix: string;
  /** A command not answered within this time counts as Redis being down (default 1 s). */
  readonly commandTimeoutMs?: number;
  /** How long a response can be continued after it was created (default 1 hour). */
  readonly ttlMs?: number;
  /** A conversation larger than this (serialized) is not kept (default 4 MiB). */
  readonly maxBytes?: number;
  readonly logger: Logger;
}

interface StoredConversation {
  /** The principal that created the response. */
  readonly p: string;
  /** The whole conversation: input turns and the answer. */
  readonly m: readonly ChatMessage[];
}

/**
 * A {@link ConversationStore} in Redis, shared by every ingress replica: a response created
 * through one replica can be continued through any other. One key per response with a TTL;
 * Redis' own memory policy bounds the total.
 */
export class RedisConversationStore implements ConversationStore, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  /** The first connection attempt; commands wait for it (later outages fail commands at once). */
  private readonly connecting: Promise<unknown>;

  constructor(private readonly options: RedisConversationStoreOptions) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    });
    // Connection errors surface per command; without a listener ioredis would log each retry.
    this.redis.on('error', () => undefined);
    this.connecting = this.redis.connect().catch(() => undefined);
  }

  async save(
    principalId: string,
    responseId: string,
    messages: readonly ChatMessage[],
  ): Promise<void> {
    const json = JSON.stringify({ p: principalId, m: messages } satisfies StoredConversation);
    if (Buffer.byteLength(json) > this.maxBytes) return;
    try {
      await this.connecting;
      await this.redis.set(this.key(responseId), json, 'PX', this.ttlMs);
    } catch (error) {
      // The answer is still served; only continuing it later is not possible.
      this.options.logger.warn('could not keep a Responses API conversation in Redis', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async load(principalId: string, responseId: string): Promise<ChatMessage[] | undefined> {
    let json: string | null;
    try {
      await this.connecting;
      json = await this.redis.get(this.key(responseId));
    } catch {
      throw new GatewayError(
        GatewayErrorCode.ServiceUnavailable,
        'Stored responses are unavailable right now; retry, or send the whole input.',
        { param: 'previous_response_id' },
      );
    }
    if (json === null) return undefined;
    // Freshly parsed: the caller may change it.
    const stored = JSON.parse(json) as { p: string; m: ChatMessage[] };
    return stored.p === principalId ? stored.m : undefined;
  }

  /** Nest calls it when the ingress shuts down. */
  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(responseId: string): string {
    return `${this.options.keyPrefix}responses:${responseId}`;
  }
}
