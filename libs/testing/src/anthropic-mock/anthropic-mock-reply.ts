import { type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicMockErrorBody } from './anthropic-error-body';
import { type MockSseEvent } from './anthropic-message-builder';

/** An answer before it is written: a JSON body, or the events of an SSE stream. */
export type AnthropicMockReply =
  | {
      readonly type: 'json';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly type: 'sse'; readonly events: readonly MockSseEvent[] };

/** How (and whether) the answer reaches the client. */
export type AnthropicMockDelivery =
  | { readonly kind: 'complete' }
  | { readonly kind: 'drop'; readonly afterEvents: number }
  | { readonly kind: 'stall'; readonly afterEvents: number }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'stream-error'; readonly afterEvents: number; readonly errorType: string };

export interface AnthropicWriteSettings {
  readonly requestId: string;
  readonly eventIntervalMs: number;
  readonly signal: AbortSignal;
}

/** Writes a reply as the delivery says. */
export async function writeAnthropicReply(
  response: ServerResponse,
  reply: AnthropicMockReply,
  delivery: AnthropicMockDelivery,
  settings: AnthropicWriteSettings,
): Promise<void> {
  if (reply.type === 'json') {
    writeJson(response, reply, delivery, settings.requestId);
    return;
  }
  const frames = reply.events.map(toFrame);
  switch (delivery.kind) {
    case 'complete':
      startStream(response, settings.requestId);
      if (await writeFrames(response, frames, settings)) response.end();
      return;
    case 'drop':
      startStream(response, settings.requestId);
      if (await writeFrames(response, frames.slice(0, delivery.afterEvents), settings)) {
        response.socket?.destroySoon();
      }
      return;
    case 'stall':
      startStream(response, settings.requestId);
      await writeFrames(response, frames.slice(0, delivery.afterEvents), settings);
      return;
    case 'malformed':
      startStream(response, settings.requestId);
      if (
        await writeFrames(
          response,
          [...frames.slice(0, 1), 'event: content_block_delta\ndata: {"type": "content_\n\n'],
          settings,
        )
      ) {
        response.end();
      }
      return;
    case 'stream-error': {
      const body = anthropicMockErrorBody(delivery.errorType, 'Overloaded');
      const error = toFrame({ event: 'error', data: JSON.stringify(body) });
      startStream(response, settings.requestId);
      if (
        await writeFrames(response, [...frames.slice(0, delivery.afterEvents), error], settings)
      ) {
        response.end();
      }
      return;
    }
  }
}

function writeJson(
  response: ServerResponse,
  reply: Extract<AnthropicMockReply, { type: 'json' }>,
  delivery: AnthropicMockDelivery,
  requestId: string,
): void {
  const text = JSON.stringify(reply.body);
  const headers = { 'content-type': 'application/json', 'request-id': requestId };
  switch (delivery.kind) {
    case 'complete':
    case 'stream-error':
      response.writeHead(reply.status, { ...headers, ...reply.headers });
      response.end(text);
      return;
    case 'malformed':
      response.writeHead(200, headers);
      response.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    case 'drop':
      response.writeHead(reply.status, {
        ...headers,
        ...reply.headers,
        'content-length': String(Buffer.byteLength(text)),
      });
      response.write(text.slice(0, Math.floor(text.length / 2)));
      response.socket?.destroySoon();
      return;
    case 'stall':
      return;
  }
}

function startStream(response: ServerResponse, requestId: string): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
}

// Returns false when the client went away or the mock closed before every frame was written.
async function writeFrames(
  response: ServerResponse,
  frames: readonly string[],
  settings: AnthropicWriteSettings,
): Promise<boolean> {
  if (settings.eventIntervalMs <= 0) {
    if (frames.length > 0) response.write(frames.join(''));
    return true;
  }
  for (const [index, frame] of frames.entries()) {
    if (index > 0) await sleep(settings.eventIntervalMs, undefined, { signal: settings.signal });
    if (response.destroyed) return false;
    response.write(frame);
  }
  return true;
}

function toFrame(event: MockSseEvent): string {
  return `event: ${event.event}\ndata: ${event.data}\n\n`;
}
