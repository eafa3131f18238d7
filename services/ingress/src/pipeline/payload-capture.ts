import { type ConfigSource } from '@aigw/config';
import { type CallState } from './call-state';

/** Where payload logging is on: the endpoint's retention in days, else undefined. */
export type PayloadLoggingLookup = (
  endpoint: string,
) => { readonly retentionDays: number } | undefined;

/** Reads `endpoints.<name>.payload_logging` from the current config (one map lookup per call). */
export function payloadLoggingFromConfig(source: ConfigSource): PayloadLoggingLookup {
  return (endpoint) => {
    const settings = source.current().raw.endpoints[endpoint]?.payload_logging;
    return settings?.enabled ? { retentionDays: settings.retention_days } : undefined;
  };
}

/** Bodies longer than this are cut (Kafka's default record limit is 1 MiB for both together). */
export const maxLoggedBodyBytes = 256 * 1024;

/** The bodies of one call being captured for `aigw.payloads.v1`. */
export interface PayloadCapture {
  readonly retentionDays: number;
  requestBody: string;
  responseBody: string;
  truncated: boolean;
}

/**
 * Holds what is captured per call, only for calls whose endpoint logs payloads: nothing is
 * buffered (and streams are not assembled) anywhere else.
 */
export class PayloadCaptures {
  private readonly captures = new WeakMap<CallState, PayloadCapture>();

  constructor(private readonly lookup: PayloadLoggingLookup) {}

  /** Starts capturing with the body as sent upstream (after guardrail masking). */
  sentUpstream(state: CallState, body: Buffer): void {
    const settings = this.lookup(state.context.endpoint);
    if (!settings) return;
    const capture: PayloadCapture = {
      retentionDays: settings.retentionDays,
      requestBody: '',
      responseBody: '',
      truncated: false,
    };
    capture.requestBody = this.cut(capture, body.toString('utf8'));
    this.captures.set(state, capture);
  }

  /** True when this call's bodies are being captured. */
  capturing(state: CallState): boolean {
    return this.captures.has(state);
  }

  /** Sets the response body the client received (assembled text for streams). */
  responded(state: CallState, body: Buffer | string): void {
    const capture = this.captures.get(state);
    if (!capture) return;
    capture.responseBody = this.cut(
      capture,
      typeof body === 'string' ? body : body.toString('utf8'),
    );
  }

  /** Takes the capture of a finished call (once). */
  take(state: CallState): PayloadCapture | undefined {
    const capture = this.captures.get(state);
    this.captures.delete(state);
    return capture;
  }

  private cut(capture: PayloadCapture, text: string): string {
    if (Buffer.byteLength(text) <= maxLoggedBodyBytes) return text;
    capture.truncated = true;
    return Buffer.from(text).subarray(0, maxLoggedBodyBytes).toString('utf8');
  }
}

/** Appends the text deltas of one OpenAI stream chunk (JSON) to `into`; other chunks add nothing. */
export function streamedText(chunkJson: string): string {
  try {
    const chunk = JSON.parse(chunkJson) as {
      choices?: { delta?: { content?: unknown } }[];
    };
    const content = chunk.choices?.[0]?.delta?.content;
    return typeof content === 'string' ? content : '';
  } catch {
    return '';
  }
}
