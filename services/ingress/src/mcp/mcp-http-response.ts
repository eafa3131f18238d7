import { once } from 'node:events';
import { type FastifyReply } from 'fastify';
import { type GatewayError, GatewayErrorCode } from '@aigw/core';

/** JSON-RPC error codes for refusals at the HTTP layer (MCP clients show the message). */
function jsonRpcCodeOf(error: GatewayError): number {
  switch (error.code) {
    case GatewayErrorCode.InvalidJson:
      return -32700;
    case GatewayErrorCode.InvalidRequest:
    case GatewayErrorCode.BodyTooLarge:
      return -32600;
    default:
      return -32000;
  }
}

/** Sends a gateway error as a JSON-RPC error body with the mapped HTTP status. */
export function sendJsonRpcError(
  reply: FastifyReply,
  error: GatewayError,
  id: string | number | null = null,
): FastifyReply {
  if (error.httpStatus === 401) reply.header('www-authenticate', 'Bearer realm="aigw"');
  if (error.httpStatus === 429) reply.header('retry-after', '1');
  return reply
    .code(error.httpStatus)
    .type('application/json')
    .send({ jsonrpc: '2.0', id, error: { code: jsonRpcCodeOf(error), message: error.message } });
}

/**
 * Opens a Streamable HTTP SSE response and writes JSON-RPC messages as `message` events as
 * they come; respects backpressure and stops when the agent goes away.
 */
export async function pipeSse(
  reply: FastifyReply,
  messages: AsyncIterable<Uint8Array>,
  requestId: string,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': requestId,
  });
  try {
    for await (const message of messages) {
      if (raw.destroyed) break;
      const frame = `event: message\ndata: ${Buffer.from(message).toString('utf8')}\n\n`;
      if (!raw.write(frame)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
    }
  } finally {
    raw.end();
  }
}
