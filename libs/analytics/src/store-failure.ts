import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';

/** Wraps whatever a ClickHouse client threw into an `AnalyticsError` that keeps the cause. */
export function storeFailure(operation: string, error: unknown): AnalyticsError {
  if (error instanceof AnalyticsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const context: Record<string, string | number> = { operation };
  if (typeof error === 'object' && error !== null) {
    const { code, clickhouseCode } = error as { code?: unknown; clickhouseCode?: unknown };
    if (typeof code === 'string' || typeof code === 'number') context['code'] = code;
    if (typeof clickhouseCode === 'number') context['clickhouseCode'] = clickhouseCode;
  }
  // Servers put it in the text ("Code: 60. DB::Exception…", or "Code: 60, e.displayText()…"
  // on old ones, which the HTTP client does not parse).
  const inMessage = /\bCode: (\d+)/.exec(message);
  if (context['clickhouseCode'] === undefined && inMessage) {
    context['clickhouseCode'] = Number(inMessage[1]);
  }
  return new AnalyticsError(
    AnalyticsErrorCode.StoreFailed,
    // ClickHouse quotes the offending input in its messages; keep log lines bounded.
    `ClickHouse ${operation} failed: ${message.slice(0, 1_000)}`,
    context,
    { cause: error },
  );
}
