import { eventsMigration } from './0001_events';
import { requestsMigration } from './0002_requests';
import { mcpCallsMigration } from './0003_mcp_calls';
import { requestDetailsMigration } from './0004_request_details';
import { costDailyMigration } from './0005_cost_daily';
import { auditAndPayloadsMigration } from './0006_audit_and_payloads';
import { type Migration } from './migration';

/** Every analytics schema migration, oldest first. Append new ones; never edit released ones. */
export const analyticsMigrations: readonly Migration[] = [
  eventsMigration,
  requestsMigration,
  mcpCallsMigration,
  requestDetailsMigration,
  costDailyMigration,
  auditAndPayloadsMigration,
];
