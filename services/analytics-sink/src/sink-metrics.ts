import { type AnalyticsBatchResult } from '@aigw/analytics';

/** Lag of one partition: records in the log the group has not committed yet. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** Counters of one sink process, rendered in the Prometheus text format. */
export class SinkMetrics {
  batches = 0;
  private records = 0;
  private readonly rows: Record<string, number> = {};
  private duplicates = 0;
  private deadLettered = 0;
  private batchSeconds = 0;
  private lag: readonly PartitionLag[] = [];

  recordBatch(records: number, result: AnalyticsBatchResult, elapsedMs: number): void {
    this.batches += 1;
    this.records += records;
    for (const table of ['events', 'requests', 'audit', 'findings', 'payloads'] as const) {
      this.rows[table] = (this.rows[table] ?? 0) + result[table];
    }
    this.duplicates += result.duplicates;
    this.deadLettered += result.deadLettered;
    this.batchSeconds += elapsedMs / 1000;
  }

  setLag(lag: readonly PartitionLag[]): void {
    this.lag = lag;
  }

  /** Total lag over every partition. */
  totalLag(): number {
    return this.lag.reduce((sum, partition) => sum + partition.lag, 0);
  }

  render(): string {
    const lines = [
      '# HELP aigw_sink_consumer_lag Records in the log not yet committed by the sink group.',
      '# TYPE aigw_sink_consumer_lag gauge',
      ...this.lag.map(
        (p) => `aigw_sink_consumer_lag{topic="${p.topic}",partition="${p.partition}"} ${p.lag}`,
      ),
      '# TYPE aigw_sink_batches_total counter',
      `aigw_sink_batches_total ${this.batches}`,
      '# TYPE aigw_sink_records_total counter',
      `aigw_sink_records_total ${this.records}`,
      '# TYPE aigw_sink_rows_total counter',
      ...Object.entries(this.rows).map(
        ([table, n]) => `aigw_sink_rows_total{table="${table}"} ${n}`,
      ),
      '# TYPE aigw_sink_duplicates_total counter',
      `aigw_sink_duplicates_total ${this.duplicates}`,
      '# TYPE aigw_sink_dead_lettered_total counter',
      `aigw_sink_dead_lettered_total ${this.deadLettered}`,
      '# TYPE aigw_sink_batch_seconds_total counter',
      `aigw_sink_batch_seconds_total ${this.batchSeconds}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
