import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * Structured JSON logs on stdout/stderr. Values under secret-looking keys are never written; a
 * line written inside a traced call carries its trace_id and span_id.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secretKey = /authorization|api[-_]?key|secret|token|password|credential|cookie/i;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = secretKey.test(key) ? '[redacted]' : redact(inner, depth + 1);
  }
  return out;
}

class JsonLogger implements Logger {
  constructor(
    private readonly minimum: number,
    private readonly base: Record<string, unknown>,
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }
  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.minimum, { ...this.base, ...fields });
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (levelRank[level] < this.minimum) return;
    const spanContext = trace.getActiveSpan()?.spanContext();
    const traced =
      spanContext && isSpanContextValid(spanContext)
        ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
        : undefined;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      msg: message,
      ...traced,
      ...(redact({ ...this.base, ...fields }) as Record<string, unknown>),
    });
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  }
}

/** A logger whose level comes from AIGW_LOG_LEVEL (default info). */
export function createLogger(fields: Record<string, unknown> = {}): Logger {
  const env = (process.env['AIGW_LOG_LEVEL'] ?? 'info') as LogLevel;
  return new JsonLogger(levelRank[env] ?? levelRank.info, fields);
}
