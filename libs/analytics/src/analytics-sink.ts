import { type Envelope } from '@aigw/contracts';
import { type ConsumedRecord, decodeEnvelope } from '@aigw/events';
import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';
import { type AnalyticsStore, type QueryParams } from './analytics-store';
import { toAuditRow, toGuardrailFindingRow, toInferencePayloadRow } from './audit-rows';
import {
  AnalyticsTables,
  type EventRow,
  type RequestRow,
  toEventRow,
  toRequestRow,
} from './event-rows';
import { toMcpCallRow } from './mcp-call-rows';
import { checkReadOnlySql } from './read-only-sql-guard';
import { RecentIdCache } from './recent-id-cache';
import { decodeRecord } from './record-decoder';
import { annotatesRequest, RequestAnnotationBuilder } from './request-annotations';

/** Receives a record the sink cannot parse, with the reason; e.g. publishes to the dead-letter topic. */
export type DeadLetterHandler = (record: ConsumedRecord, reason: string) => Promise<void>;

/** The configured tags of an endpoint ({} when it has none or is unknown). */
export type EndpointTagsLookup = (endpoint: string) => Readonly<Record<string, string>>;

/** What the sink needs. */
export interface AnalyticsSinkOptions {
  readonly store: AnalyticsStore;
  readonly deadLetter: DeadLetterHandler;
  /** How many recently inserted event ids to remember for dedupe (default 100 000). */
  readonly recentEventIds?: number;
  /** Tags of each endpoint, copied onto its `requests` rows (default: none). */
  readonly endpointTags?: EndpointTagsLookup;
  /**
   * Records decoded per `events` insert (default 10 000): large enough that ClickHouse's cost
   * per insert (a new part) stays small, small enough that one part is inserted while the next
   * is decoded.
   */
  readonly eventsPerInsert?: number;
}

/** What one batch did. */
export interface AnalyticsBatchResult {
  /** Rows inserted into `events`. */
  readonly events: number;
  /** Rows inserted into `requests`. */
  readonly requests: number;
  /** Rows inserted into `audit_log`. */
  readonly audit: number;
  /** Rows inserted into `guardrail_findings`. */
  readonly findings: number;
  /** Rows inserted into `inference_payloads`. */
  readonly payloads: number;
  /** Events skipped as already seen (in this batch or recently). */
  readonly duplicates: number;
  /** Records handed to the dead-letter handler. */
  readonly deadLettered: number;
}

interface RequestEvents {
  received: boolean;
  terminal: Envelope | undefined;
  readonly annotations: RequestAnnotationBuilder;
}

// Request ids travel to ClickHouse as one bound string, split there (ids never contain newlines:
// they come from HTTP headers or are generated).
const idSeparator = '\n';
const idsParameter = `SELECT arrayJoin(splitByChar('\\n', {ids:String}))`;

/**
 * Builds the ClickHouse tables from the event log: one call per consumed batch.
 *
 * Nothing is lost: if ClickHouse or the dead-letter handler fails, `handleBatch` rejects, the
 * caller does not commit offsets and the batch comes again. Nothing is counted twice: event ids
 * are deduplicated in the batch and against recently inserted ids, the per-event tables are
 * ReplacingMergeTrees keyed on the event id (copies collapse on merge and in `FINAL` reads), and
 * a request's row is inserted only if `requests` does not hold it yet, because the cost rollups
 * are fed on insert (a crash between insert and offset commit redelivers the batch).
 */
export class AnalyticsSink {
  private readonly store: AnalyticsStore;
  private readonly deadLetter: DeadLetterHandler;
  private readonly recentIds: RecentIdCache;
  private readonly endpointTags: EndpointTagsLookup;
  private readonly eventsPerInsert: number;

  constructor(options: AnalyticsSinkOptions) {
    this.store = options.store;
    this.deadLetter = options.deadLetter;
    this.recentIds = new RecentIdCache(options.recentEventIds ?? 100_000);
    this.endpointTags = options.endpointTags ?? (() => ({}));
    this.eventsPerInsert = Math.max(1, options.eventsPerInsert ?? 10_000);
  }

  /** Decodes, dedupes and inserts one batch; rejects (so offsets stay uncommitted) on failure. */
  async handleBatch(records: readonly ConsumedRecord[]): Promise<AnalyticsBatchResult> {
    const fresh = new Map<string, Envelope>();
    // Every decoded event, copies included: an event already stored (e.g. read first from the
    // audit topic) still completes its request's row.
    const decodedAll: Envelope[] = [];
    const undecodable: { record: ConsumedRecord; reason: string }[] = [];
    let duplicates = 0;
    let events = 0;
    // Rows first: while ClickHouse is down, retries do not flood the dead-letter topic. Events
    // before requests: a request row may be completed from the events already stored.
    // A large batch goes to `events` in parts: ClickHouse inserts one part while the next is
    // decoded here.
    const eventInserts: Promise<void>[] = [];
    const perInsert = this.eventsPerInsert;
    for (let start = 0; start < records.length; start += perInsert) {
      // Bodies stay out of `events`: they live (with their TTL) in `inference_payloads` only.
      const eventRows: EventRow[] = [];
      for (const record of records.slice(start, start + perInsert)) {
        const decoded = decodeRecord(record);
        if (!decoded.ok) {
          undecodable.push({ record, reason: decoded.reason });
          continue;
        }
        const { envelope } = decoded;
        decodedAll.push(envelope);
        if (fresh.has(envelope.eventId) || this.recentIds.has(envelope.eventId)) {
          duplicates += 1;
        } else {
          fresh.set(envelope.eventId, envelope);
          // The record as read is already the event's JSON: reuse it rather than encode it again.
          if (envelope.payload?.$case !== 'inferencePayload') {
            eventRows.push(toEventRow(envelope, decoded.json));
          }
        }
      }
      events += eventRows.length;
      const inserted = this.insert(AnalyticsTables.events, eventRows);
      inserted.catch(() => undefined);
      eventInserts.push(inserted);
      // Lets the insert reach ClickHouse (its own thread) before the next part is decoded.
      if (start + perInsert < records.length) await new Promise(setImmediate);
    }

    const envelopes = [...fresh.values()];
    const auditRows = envelopes.map(toAuditRow).filter(isDefined);
    const findingRows = envelopes.map(toGuardrailFindingRow).filter(isDefined);
    const payloadRows = envelopes.map(toInferencePayloadRow).filter(isDefined);
    const mcpRows = envelopes.map(toMcpCallRow).filter(isDefined);
    const finished = this.finishedRequests(decodedAll, fresh);
    await allSucceeded(eventInserts);
    await this.insert(AnalyticsTables.auditLog, auditRows);
    await this.insert(AnalyticsTables.guardrailFindings, findingRows);
    await this.insert(AnalyticsTables.inferencePayloads, payloadRows);
    await this.insert(AnalyticsTables.mcpCalls, mcpRows);
    const requests = await this.newRequestRows(finished);
    await this.insert(AnalyticsTables.requests, requests.rows);
    for (const id of fresh.keys()) this.recentIds.add(id);
    for (const { record, reason } of undecodable) await this.deadLetter(record, reason);

    return {
      events,
      requests: requests.rows.length,
      audit: auditRows.length,
      findings: findingRows.length,
      payloads: payloadRows.length,
      duplicates,
      deadLettered: undecodable.length,
    };
  }

  /**
   * Runs one read-only statement (SELECT / WITH / SHOW / DESCRIBE / EXPLAIN) and returns its
   * rows; anything else is refused with `AnalyticsError` code `query_rejected`. `params` fill
   * `{name:Type}` placeholders, bound by ClickHouse. The SQL guard sits in front of a read-only
   * ClickHouse role (embedded: `readonly = 1` per query); it is not the only protection.
   */
  async queryReadOnly<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
  ): Promise<T[]> {
    const verdict = checkReadOnlySql(sql);
    if (!verdict.ok) {
      throw new AnalyticsError(AnalyticsErrorCode.QueryRejected, verdict.reason, {
        reason: verdict.reason,
      });
    }
    return this.store.query<T>(verdict.sql, params, { readOnly: true });
  }

  private async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length > 0) await this.store.insertJsonRows(table, rows);
  }

  /** The events of each request in this batch, by request id. */
  private finishedRequests(
    envelopes: readonly Envelope[],
    fresh: ReadonlyMap<string, Envelope>,
  ): Map<string, RequestEvents> {
    const byRequest = new Map<string, RequestEvents>();
    for (const envelope of envelopes) {
      let events = byRequest.get(envelope.requestId);
      if (!events) {
        events = {
          received: false,
          terminal: undefined,
          annotations: new RequestAnnotationBuilder(),
        };
        byRequest.set(envelope.requestId, events);
      }
      const kind = envelope.payload?.$case;
      if (kind === 'requestReceived') events.received = true;
      // A later terminal event of the same request wins, as in the table.
      // A terminal event this sink already handled is not a new request row.
      if (
        (kind === 'requestCompleted' || kind === 'requestFailed') &&
        fresh.has(envelope.eventId)
      ) {
        events.terminal = envelope;
      }
      if (annotatesRequest(envelope)) events.annotations.add(envelope);
    }
    return byRequest;
  }

  /** One row per request that finished in this batch and is not in `requests` yet. */
  private async newRequestRows(
    byRequest: ReadonlyMap<string, RequestEvents>,
  ): Promise<{ rows: RequestRow[]; alreadyStored: number }> {
    const finished = [...byRequest].filter(([, events]) => events.terminal !== undefined);
    if (finished.length === 0) return { rows: [], alreadyStored: 0 };

    const stored = await this.storedRequestIds(finished.map(([id]) => id));
    const pending = finished.filter(([id]) => !stored.has(id));
    // A request whose start was in an earlier batch: its other events are already stored.
    await this.addStoredAnnotations(
      pending.filter(([, events]) => !events.received),
      byRequest,
    );
    const rows = pending
      .map(([, events]) =>
        toRequestRow(
          events.terminal!,
          events.annotations.build(),
          this.endpointTags(events.terminal!.endpoint),
        ),
      )
      .filter(isDefined);
    return { rows, alreadyStored: finished.length - pending.length };
  }

  private async storedRequestIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.store.query<{ request_id: string }>(
      `SELECT request_id FROM requests WHERE request_id IN (${idsParameter})`,
      { ids: ids.join(idSeparator) },
    );
    return new Set(rows.map((row) => row.request_id));
  }

  private async addStoredAnnotations(
    requests: readonly (readonly [string, RequestEvents])[],
    byRequest: ReadonlyMap<string, RequestEvents>,
  ): Promise<void> {
    if (requests.length === 0) return;
    const rows = await this.store.query<{ payload: string }>(
      `SELECT payload FROM events
       WHERE request_id IN (${idsParameter})
         AND type IN ('provider.attempted', 'guardrail.evaluated')`,
      { ids: requests.map(([id]) => id).join(idSeparator) },
    );
    for (const row of rows) {
      const decoded = decodeEnvelope(row.payload);
      if (decoded.ok) byRequest.get(decoded.envelope.requestId)?.annotations.add(decoded.envelope);
    }
  }
}

/** Waits for every write to settle; rejects with the first failure, if any. */
async function allSucceeded(writes: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
