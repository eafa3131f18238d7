import { type Envelope } from '@aigw/contracts';
import { type ConsumedRecord, decodeEnvelope } from '@aigw/events';
import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';
import { type AnalyticsStore } from './analytics-store';
import { AnalyticsTables, type RequestRow, toEventRow, toRequestRow } from './event-rows';
import { checkReadOnlySql } from './read-only-sql-guard';
import { RecentIdCache } from './recent-id-cache';

/** Receives a record the sink cannot parse, with the reason; e.g. publishes to the dead-letter topic. */
export type DeadLetterHandler = (record: ConsumedRecord, reason: string) => Promise<void>;

/** What the sink needs. */
export interface AnalyticsSinkOptions {
  readonly store: AnalyticsStore;
  readonly deadLetter: DeadLetterHandler;
  /** How many recently inserted event ids to remember for dedupe (default 100 000). */
  readonly recentEventIds?: number;
}

/** What one batch did. */
export interface AnalyticsBatchResult {
  /** Rows inserted into `events`. */
  readonly events: number;
  /** Rows inserted into `requests`. */
  readonly requests: number;
  /** Events skipped as already seen (in this batch or recently). */
  readonly duplicates: number;
  /** Records handed to the dead-letter handler. */
  readonly deadLettered: number;
}

/**
 * Builds the ClickHouse tables from the event log: one call per consumed batch.
 *
 * Nothing is lost: if ClickHouse or the dead-letter handler fails, `handleBatch` rejects, the
 * caller does not commit offsets and the batch comes again. Nothing is counted twice: ids are
 * deduplicated in the batch and against recently inserted ids, and the tables are
 * ReplacingMergeTrees keyed on the event / request, so what slips through (a restart, another
 * replica) collapses on merge and in `FINAL` reads.
 */
export class AnalyticsSink {
  private readonly store: AnalyticsStore;
  private readonly deadLetter: DeadLetterHandler;
  private readonly recentIds: RecentIdCache;

  constructor(options: AnalyticsSinkOptions) {
    this.store = options.store;
    this.deadLetter = options.deadLetter;
    this.recentIds = new RecentIdCache(options.recentEventIds ?? 100_000);
  }

  /** Decodes, dedupes and inserts one batch; rejects (so offsets stay uncommitted) on failure. */
  async handleBatch(records: readonly ConsumedRecord[]): Promise<AnalyticsBatchResult> {
    const fresh = new Map<string, Envelope>();
    const undecodable: { record: ConsumedRecord; reason: string }[] = [];
    let duplicates = 0;
    for (const record of records) {
      const decoded = decodeEnvelope(record.value);
      if (!decoded.ok) {
        undecodable.push({ record, reason: decoded.reason });
      } else if (
        fresh.has(decoded.envelope.eventId) ||
        this.recentIds.has(decoded.envelope.eventId)
      ) {
        duplicates += 1;
      } else {
        fresh.set(decoded.envelope.eventId, decoded.envelope);
      }
    }

    const eventRows = [...fresh.values()].map(toEventRow);
    // One row per request; a later terminal event of the same request wins, as in the table.
    const requestRows = new Map<string, RequestRow>();
    for (const envelope of fresh.values()) {
      const row = toRequestRow(envelope);
      if (row) requestRows.set(row.request_id, row);
    }
    // Rows first: while ClickHouse is down, retries do not flood the dead-letter topic.
    if (eventRows.length > 0) await this.store.insertJsonRows(AnalyticsTables.events, eventRows);
    if (requestRows.size > 0) {
      await this.store.insertJsonRows(AnalyticsTables.requests, [...requestRows.values()]);
    }
    for (const id of fresh.keys()) this.recentIds.add(id);
    for (const { record, reason } of undecodable) await this.deadLetter(record, reason);

    return {
      events: eventRows.length,
      requests: requestRows.size,
      duplicates,
      deadLettered: undecodable.length,
    };
  }

  /**
   * Runs one read-only statement (SELECT / WITH / SHOW / DESCRIBE / EXPLAIN) and returns its
   * rows; anything else is refused with `AnalyticsError` code `query_rejected`. The SQL guard
   * sits in front of a read-only ClickHouse role (embedded: `readonly = 1` per query); it is
   * not the only protection.
   */
  async queryReadOnly<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const verdict = checkReadOnlySql(sql);
    if (!verdict.ok) {
      throw new AnalyticsError(AnalyticsErrorCode.QueryRejected, verdict.reason, {
        reason: verdict.reason,
      });
    }
    return this.store.query<T>(verdict.sql, undefined, { readOnly: true });
  }
}
