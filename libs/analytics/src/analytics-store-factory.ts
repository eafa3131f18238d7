import { join } from 'node:path';
import { type RuntimeConfig } from '@aigw/config';
import { type AnalyticsStore } from './analytics-store';
import { ChdbAnalyticsStore } from './chdb-analytics-store';
import { HttpAnalyticsStore } from './http-analytics-store';

/** The `runtime.clickhouse` section of aigw.yaml. */
export type ClickhouseRuntimeConfig = RuntimeConfig['clickhouse'];

/**
 * Opens the store the config asks for: embedded chDB (data in `path`, default
 * `<dataDir>/clickhouse`) or a ClickHouse server over HTTP.
 */
export async function createAnalyticsStore(
  config: ClickhouseRuntimeConfig,
  dataDir: string,
): Promise<AnalyticsStore> {
  switch (config.mode) {
    case 'embedded':
      return ChdbAnalyticsStore.open(config.path ?? join(dataDir, 'clickhouse'));
    case 'http':
      return new HttpAnalyticsStore({
        url: config.url,
        database: config.database,
        username: config.username,
        password: config.password,
      });
  }
}
