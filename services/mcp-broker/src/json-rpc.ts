import { ErrorCode, type RequestId } from '@modelcontextprotocol/sdk/types.js';

/** One JSON-RPC message from an agent, as far as the broker needs to read it. */
export interface AgentMessage {
  readonly id?: RequestId;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
}

/** Reads one JSON-RPC 2.0 message; undefined when it is not one. */
export function parseAgentMessage(bytes: Uint8Array): AgentMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  if (message['jsonrpc'] !== '2.0') return undefined;
  const id = message['id'];
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return undefined;
  const method = message['method'];
  if (method !== undefined && typeof method !== 'string') return undefined;
  const params = message['params'];
  if (
    params !== undefined &&
    (params === null || typeof params !== 'object' || Array.isArray(params))
  ) {
    return undefined;
  }
  return {
    ...(id !== undefined ? { id } : {}),
    ...(method !== undefined ? { method } : {}),
    ...(params !== undefined ? { params: params as Record<string, unknown> } : {}),
  };
}

export function resultMessage(id: RequestId, result: unknown): Buffer {
  return Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result }));
}

export function errorMessage(id: RequestId | null, code: number, message: string): Buffer {
  return Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
}

export function notificationMessage(method: string, params: unknown): Buffer {
  return Buffer.from(JSON.stringify({ jsonrpc: '2.0', method, params }));
}

export { ErrorCode as JsonRpcErrorCode };
