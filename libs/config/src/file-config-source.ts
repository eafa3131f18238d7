import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { type Logger } from '@aigw/core';
import { type CompiledConfig } from './compiled-config';
import { ConfigError, type ConfigIssue } from './config-error';
import { parseConfig } from './config-loader';
import { type ConfigSource } from './config-source';

/** What one reload did: applied the new file, or rejected it and kept the config in force. */
export interface ConfigChange {
  readonly source: string;
  /** SHA-256 of the text in force before, and of the text just read. */
  readonly oldSha256: string;
  readonly newSha256: string;
  readonly outcome: 'applied' | 'rejected';
  /** Every problem of a rejected file, with its path. */
  readonly issues: readonly ConfigIssue[];
}

export interface FileConfigSourceOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Wait this long after the last file event before reading (editors write in bursts). */
  readonly debounceMs?: number;
  /** Also check the file's stat this often, for file systems where fs.watch misses changes. */
  readonly pollIntervalMs?: number;
}

interface FileStamp {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
}

/**
 * The config in force, read from a file and reloaded when the file changes: watched with
 * fs.watch on its folder (survives editors and Kubernetes ConfigMaps replacing the file),
 * debounced, with a periodic stat as a fallback. A valid file is compiled and swapped in
 * atomically (one reference; a request sees the old or the new config, never a mix); an invalid
 * one is rejected with every problem logged and the old config keeps serving. `runtime:`
 * changes (ports, Kafka, Redis, service addresses) take effect on restart.
 */
export class FileConfigSource implements ConfigSource {
  private config: CompiledConfig;
  /** SHA-256 of the text in force, and of the text last read (differs after a rejection). */
  private inForceSha256: string;
  private seenSha256: string;
  private stamp: FileStamp | undefined;
  private readonly listeners = new Set<(change: ConfigChange) => void>();
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly path: string;

  /** Reads and validates the file now; throws ConfigError when it is invalid. */
  constructor(
    path: string,
    private readonly options: FileConfigSourceOptions = {},
  ) {
    this.path = resolve(path);
    const text = this.read();
    this.config = parseConfig(text, this.path, options.env ?? process.env);
    this.inForceSha256 = sha256Of(text);
    this.seenSha256 = this.inForceSha256;
    this.stamp = this.statFile();
  }

  current(): CompiledConfig {
    return this.config;
  }

  /** Calls the listener after every reload that found new file content. */
  onChange(listener: (change: ConfigChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts watching the file. */
  watch(): this {
    if (this.watcher || this.poller) return this;
    const file = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, name) => {
        if (name === null || name === file || String(name).startsWith('..')) this.schedule();
      });
      this.watcher.on('error', (error) =>
        this.options.logger?.warn('config file watch failed; polling only', {
          source: this.path,
          error,
        }),
      );
    } catch (error) {
      this.options.logger?.warn('cannot watch the config file; polling only', {
        source: this.path,
        error,
      });
    }
    this.poller = setInterval(() => {
      const stamp = this.statFile();
      if (stamp && !sameStamp(stamp, this.stamp)) this.schedule();
    }, this.options.pollIntervalMs ?? 2000);
    this.poller.unref();
    return this;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
  }

  /**
   * Reads the file now and applies it if its content changed. Returns what happened, or
   * undefined when the content is the one in force (or the file is missing mid-replace).
   */
  reload(): ConfigChange | undefined {
    this.stamp = this.statFile();
    let text: string;
    try {
      text = this.read();
    } catch {
      // A file being replaced can be missing for a moment; the next event or poll retries.
      return undefined;
    }
    const newSha256 = sha256Of(text);
    if (newSha256 === this.seenSha256) return undefined;
    // Remembered, so the same bad file is reported once, not on every poll.
    this.seenSha256 = newSha256;
    const oldSha256 = this.inForceSha256;
    let change: ConfigChange;
    try {
      const next = parseConfig(text, this.path, this.options.env ?? process.env);
      const runtimeChanged =
        JSON.stringify(next.raw.runtime) !== JSON.stringify(this.config.raw.runtime);
      this.config = next;
      this.inForceSha256 = newSha256;
      change = { source: this.path, oldSha256, newSha256, outcome: 'applied', issues: [] };
      this.options.logger?.info('config reloaded', { source: this.path, sha256: newSha256 });
      if (runtimeChanged) {
        this.options.logger?.warn('config runtime section changed; it takes effect on restart', {
          source: this.path,
        });
      }
    } catch (error) {
      const issues =
        error instanceof ConfigError
          ? error.issues
          : [{ path: '', message: error instanceof Error ? error.message : String(error) }];
      change = { source: this.path, oldSha256, newSha256, outcome: 'rejected', issues };
      this.options.logger?.error('config reload rejected; the config in force keeps serving', {
        source: this.path,
        errors: issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`),
      });
    }
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger?.warn('config change listener failed', { error });
      }
    }
    return change;
  }

  private schedule(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.reload();
    }, this.options.debounceMs ?? 200);
    this.debounce.unref();
  }

  private read(): string {
    try {
      return readFileSync(this.path, 'utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(this.path, [{ path: '', message: `cannot read file: ${reason}` }]);
    }
  }

  private statFile(): FileStamp | undefined {
    try {
      const stat = statSync(this.path);
      return { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino };
    } catch {
      return undefined;
    }
  }
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sameStamp(left: FileStamp, right: FileStamp | undefined): boolean {
  return (
    right !== undefined &&
    left.mtimeMs === right.mtimeMs &&
    left.size === right.size &&
    left.ino === right.ino
  );
}
