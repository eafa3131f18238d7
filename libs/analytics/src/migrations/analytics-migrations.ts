import { eventsMigration } from './0001_events';
import { requestsMigration } from './0002_requests';
import { type Migration } from './migration';

/** Every analytics schema migration, oldest first. Append new ones; never edit released ones. */
export const analyticsMigrations: readonly Migration[] = [eventsMigration, requestsMigration];
