import { type Migration } from './migration';

/**
 * More of each request on its `requests` row: the endpoint's tags (from config), the targets
 * that failed over, the last provider error class, and what guardrails did. Added columns take
 * their defaults on rows written before this migration.
 */
export const requestDetailsMigration: Migration = {
  version: 4,
  name: 'request_details',
  statements: [
    `ALTER TABLE requests
        ADD COLUMN IF NOT EXISTS endpoint_tags Map(String, String) AFTER tags,
        ADD COLUMN IF NOT EXISTS fallbacks Array(String) AFTER attempts,
        ADD COLUMN IF NOT EXISTS error_class LowCardinality(String) AFTER error_code,
        ADD COLUMN IF NOT EXISTS guardrail_actions Array(String) AFTER error_class`,
  ],
};
