/** Every Kafka topic aigw uses: names, partitions and retention live here and nowhere else. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

const day = 24 * 60 * 60 * 1000;

export const Topics = {
  lifecycle: { name: 'aigw.lifecycle.v1', partitions: 6, retentionMs: 7 * day },
  audit: { name: 'aigw.audit.v1', partitions: 3, retentionMs: 90 * day },
  payloads: { name: 'aigw.payloads.v1', partitions: 3, retentionMs: 3 * day },
  deadLetter: { name: 'aigw.deadletter.v1', partitions: 1, retentionMs: 30 * day },
} as const satisfies Record<string, TopicSpec>;

export const allTopics: readonly TopicSpec[] = Object.values(Topics);
