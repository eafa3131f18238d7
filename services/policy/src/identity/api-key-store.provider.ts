import { type OnModuleDestroy } from '@nestjs/common';
import { type ApiKeyStore } from './api-key-store';

/** Holds the process's key store and closes it (Redis connections) when the app stops. */
export class ApiKeyStoreHolder implements OnModuleDestroy {
  constructor(readonly store: ApiKeyStore) {}

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
