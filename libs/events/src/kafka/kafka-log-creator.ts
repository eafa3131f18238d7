import { type Logger } from '@aigw/core';
import { type LogEntry, type logCreator, logLevel } from 'kafkajs';

// We bound the idempotent producer's retries on purpose (the spool is the long-term retry).
const expectedWarnings = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);
const repeatWindowMs = 30_000;
const maxTrackedMessages = 500;

/**
 * Routes kafkajs's own logging into our JSON logger (the client is created at WARN, so only
 * warnings and errors arrive). Only scalar fields are kept, never stacks or objects that could
 * carry message contents, and a message repeated within 30 s (a broker that stays down) is
 * logged once with a repeat count instead of on every retry.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  return () => (entry: LogEntry) => {
    const content: Readonly<Record<string, unknown>> = entry.log;
    const message = typeof content['message'] === 'string' ? content['message'] : '';
    if (expectedWarnings.has(message)) return;

    const key = `${entry.namespace}|${message}`;
    const now = Date.now();
    const previous = lastLogged.get(key);
    if (previous && now - previous.at < repeatWindowMs) {
      previous.suppressed += 1;
      return;
    }
    if (lastLogged.size >= maxTrackedMessages) lastLogged.clear();
    lastLogged.set(key, { at: now, suppressed: 0 });

    const fields: Record<string, unknown> = { component: 'kafkajs', namespace: entry.namespace };
    if (previous?.suppressed) fields['repeated'] = previous.suppressed;
    for (const [name, value] of Object.entries(content)) {
      if (name === 'message' || name === 'timestamp' || name === 'logger' || name === 'stack') {
        continue;
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        fields[name] = value;
      } else if (value instanceof Error) {
        fields[name] = value.message;
      }
    }
    switch (entry.level) {
      case logLevel.ERROR:
      case logLevel.NOTHING:
        logger.error(message, fields);
        break;
      case logLevel.WARN:
        logger.warn(message, fields);
        break;
      case logLevel.INFO:
      case logLevel.DEBUG:
        logger.debug(message, fields);
        break;
    }
  };
}
