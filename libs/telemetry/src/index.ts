export { initTelemetry, otlpEndpoints, type Telemetry, type TelemetryOptions } from './telemetry';
