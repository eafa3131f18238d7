import { type ConfigChange, type FileConfigSource } from '@aigw/config';
import { uuidv7 } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';

/** The most problems one `config.changed` event lists (the log has them all). */
const maxListedErrors = 50;

/** The `config.changed` audit event for one reload. */
export function configChangedEnvelope(service: string, change: ConfigChange) {
  return createEnvelope(
    service,
    { requestId: uuidv7(), traceId: '', principal: undefined, endpoint: '', tags: {} },
    {
      $case: 'configChanged',
      value: {
        source: change.source,
        oldSha256: change.oldSha256,
        newSha256: change.newSha256,
        outcome: change.outcome,
        errorCount: change.issues.length,
        errors: change.issues
          .slice(0, maxListedErrors)
          .map((issue) => `${issue.path || '(root)'}: ${issue.message}`.slice(0, 500)),
      },
    },
  );
}

/**
 * Publishes a `config.changed` audit event for every reload of the file (applied or rejected),
 * and starts watching it unless AIGW_CONFIG_WATCH is "false". Returns a stop function.
 */
export function watchConfigWithAudit(
  source: FileConfigSource,
  events: EventPublisher,
  service: string,
): () => void {
  const unsubscribe = source.onChange((change) =>
    events.publish(configChangedEnvelope(service, change)),
  );
  if (process.env['AIGW_CONFIG_WATCH'] !== 'false') source.watch();
  return () => {
    unsubscribe();
    source.close();
  };
}
