import { type CompiledConfig } from './compiled-config';

/** Where services read the config in force; a reloader can swap it atomically. */
export interface ConfigSource {
  current(): CompiledConfig;
}

/** A config that never changes after start. */
export class StaticConfigSource implements ConfigSource {
  constructor(private readonly config: CompiledConfig) {}

  current(): CompiledConfig {
    return this.config;
  }
}
