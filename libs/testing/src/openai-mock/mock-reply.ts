import { type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** An answer before it is written: a JSON body, or the JSON text of each SSE event. */
export type MockReply =
  | {
      readonly type: 'json';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly type: 'sse'; readonly events: readonly string[] };

/** How (and whether) the answer reaches the client. */
export type MockDelivery =
  | { readonly kind: 'complete' }
  /** Send the first `afterChunks` events (or half a JSON body), then close the connection. */
  | { readonly kind: 'drop'; readonly afterChunks: number }
  /** Send the first `afterChunks` events, then nothing more; a JSON answer is never started. */
  | { readonly kind: 'stall'; readonly afterChunks: number }
  /** Answer 200 with text that is not JSON (after one valid event, for a stream). */
  | { readonly kind: 'malformed' };

/** Per-answer settings of the writer. */
export interface WriteSettings {
  readonly requestId: string;
  /** Pause between SSE events; 0 writes the whole stream in one go. */
  readonly chunkIntervalMs: number;
  /** Aborted when the mock closes, ending any pause. */
  readonly signal: AbortSignal;
}

const doneFrame = 'data: [DONE]\n\n';

/** Writes a reply to the response as the delivery says. */
export async function writeMockReply(
  response: ServerResponse,
  reply: MockReply,
  delivery: MockDelivery,
  settings: WriteSettings,
): Promise<void> {
  if (reply.type === 'json') {
    writeJson(response, reply, delivery, settings.requestId);
    return;
  }
  const frames = reply.events.map(toFrame);
  switch (delivery.kind) {
    case 'complete':
      frames.push(doneFrame);
      startStream(response, settings.requestId);
      if (await writeFrames(response, frames, settings)) response.end();
      return;
    case 'drop':
      startStream(response, settings.requestId);
      if (await writeFrames(response, frames.slice(0, delivery.afterChunks), settings)) {
        dropConnection(response);
      }
      return;
    case 'stall':
      startStream(response, settings.requestId);
      await writeFrames(response, frames.slice(0, delivery.afterChunks), settings);
      return;
    case 'malformed': {
      const broken = frames.slice(0, 1);
      broken.push('data: {"id": "chatcmpl-mock", "choices": [{"delta": \n\n', doneFrame);
      startStream(response, settings.requestId);
      if (await writeFrames(response, broken, settings)) response.end();
      return;
    }
  }
}

function writeJson(
  response: ServerResponse,
  reply: Extract<MockReply, { type: 'json' }>,
  delivery: MockDelivery,
  requestId: string,
): void {
  const text = JSON.stringify(reply.body);
  const headers = { 'content-type': 'application/json', 'x-request-id': requestId };
  switch (delivery.kind) {
    case 'complete':
      response.writeHead(reply.status, { ...headers, ...reply.headers });
      response.end(text);
      return;
    case 'malformed':
      response.writeHead(200, headers);
      response.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    case 'drop':
      // Promise the whole body, send half of it, then close: a truncated response.
      response.writeHead(reply.status, {
        ...headers,
        ...reply.headers,
        'content-length': String(Buffer.byteLength(text)),
      });
      response.write(text.slice(0, Math.floor(text.length / 2)));
      dropConnection(response);
      return;
    case 'stall':
      return;
  }
}

function startStream(response: ServerResponse, requestId: string): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': requestId,
  });
}

// Returns false when the client went away or the mock closed before every frame was written.
async function writeFrames(
  response: ServerResponse,
  frames: readonly string[],
  settings: WriteSettings,
): Promise<boolean> {
  if (settings.chunkIntervalMs <= 0) {
    if (frames.length > 0) response.write(frames.join(''));
    return true;
  }
  for (const [index, frame] of frames.entries()) {
    if (index > 0) await sleep(settings.chunkIntervalMs, undefined, { signal: settings.signal });
    if (response.destroyed) return false;
    response.write(frame);
  }
  return true;
}

// Closes after what was written is flushed, so the client sees the data and then the drop.
function dropConnection(response: ServerResponse): void {
  response.socket?.destroySoon();
}

function toFrame(data: string): string {
  return `data: ${data}\n\n`;
}
