/**
 * Wire contracts generated from proto/ by ts-proto. Never edit generated/; run `npm run proto:generate`.
 */
export * from './generated/aigw/common/v1/common';
export * from './generated/aigw/policy/v1/policy';
export * from './generated/aigw/guardrail/v1/guardrail';
export * from './generated/aigw/router/v1/router';
export * from './generated/aigw/mcp/v1/mcp';
// Both streaming services generate the same helper type; name one of them.
export { type ServerStreamingMethodResult } from './generated/aigw/router/v1/router';
export * from './generated/aigw/events/v1/events';
export * from './generated/aigw/analytics/v1/analytics';
