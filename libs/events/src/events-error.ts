/** What can go wrong when using the event log adapters, as string codes. */
export enum EventsErrorCode {
  InvalidTopic = 'invalid_topic',
  InvalidGroup = 'invalid_group',
  AlreadyRunning = 'already_running',
  Closed = 'closed',
}

/** A misuse of the event adapters (bad topic or group, a subscriber run twice, a closed log). */
export class EventsError extends Error {
  constructor(
    readonly code: EventsErrorCode,
    message: string,
    readonly context: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(message);
    this.name = 'EventsError';
  }
}
