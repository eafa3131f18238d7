import { type DynamicModule, Module } from '@nestjs/common';
import { SinkWorker } from './sink-worker';

/** analytics-sink wiring: the worker is built by the host (Kafka or embedded log, store). */
@Module({})
export class AnalyticsSinkModule {
  static register(worker: SinkWorker): DynamicModule {
    return {
      module: AnalyticsSinkModule,
      providers: [{ provide: SinkWorker, useValue: worker }],
      exports: [SinkWorker],
    };
  }
}
