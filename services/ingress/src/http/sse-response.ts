import { once } from 'node:events';
import { type FastifyReply } from 'fastify';

/** Writes SSE frames as they come; respects backpressure; stops when the client leaves. */
export async function pipeSseFrames(
  reply: FastifyReply,
  frames: AsyncIterable<string>,
  requestId: string,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  // Headers set before the stream started (e.g. x-ratelimit-*) go out with it.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) raw.setHeader(name, value);
  }
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': requestId,
  });
  try {
    for await (const frame of frames) {
      if (raw.destroyed) break;
      if (!raw.write(frame)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
    }
  } finally {
    raw.end();
  }
}
