import { EventsError, EventsErrorCode } from '../events-error';

// Kafka's legal topic characters; also safe as a directory name (no separators, no "..").
const legalTopic = /^[a-zA-Z0-9._-]{1,249}$/;

/** Throws unless `topic` is a legal Kafka topic name that is safe to use as a directory. */
export function assertTopicName(topic: string): void {
  if (!legalTopic.test(topic) || topic === '.' || topic === '..') {
    throw new EventsError(EventsErrorCode.InvalidTopic, `invalid topic name "${topic}"`, { topic });
  }
}
