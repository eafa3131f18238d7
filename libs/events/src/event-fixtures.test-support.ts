import { type Envelope, PrincipalKind } from '@aigw/contracts';
import { type Logger } from '@aigw/core';
import { createEnvelope } from './envelope';

/** A valid request.received event for tests; `tags.seq` tells events of a request apart. */
export function sampleEnvelope(
  requestId: string,
  seq = 0,
  traceId = `trace-${requestId}`,
): Envelope {
  return createEnvelope(
    'test',
    {
      requestId,
      traceId,
      principal: {
        id: 'user-1',
        kind: PrincipalKind.PRINCIPAL_KIND_USER,
        groups: [],
        roles: [],
        tags: {},
      },
      endpoint: 'chat',
      tags: { seq: String(seq) },
    },
    {
      $case: 'requestReceived',
      value: {
        operation: 'chat.completions',
        method: 'POST',
        path: '/v1/chat/completions',
        stream: false,
        bodyBytes: 42,
        userAgent: 'test',
      },
    },
  );
}

/** One line a test logger received. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps its lines in memory instead of writing them. */
export function recordingLogger(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const logger: Logger = {
    debug: (message, fields = {}) => lines.push({ level: 'debug', message, fields }),
    info: (message, fields = {}) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields = {}) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields = {}) => lines.push({ level: 'error', message, fields }),
    child: () => logger,
  };
  return { logger, lines };
}

/** Polls `condition` every 10 ms until it holds, failing with `what` after `timeoutMs`. */
export async function eventually(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
