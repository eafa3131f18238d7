/** Nest injection tokens for what every service receives from its host process. */
export const CONFIG_SOURCE = Symbol('CONFIG_SOURCE');
export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
export const LOGGER = Symbol('LOGGER');
export const POLICY_CLIENT = Symbol('POLICY_CLIENT');
export const GUARDRAIL_CLIENT = Symbol('GUARDRAIL_CLIENT');
export const ROUTER_CLIENT = Symbol('ROUTER_CLIENT');
export const MCP_CLIENT = Symbol('MCP_CLIENT');
export const ANALYTICS_CLIENT = Symbol('ANALYTICS_CLIENT');
