import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger } from '@aigw/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { type ConfigChange, FileConfigSource } from './file-config-source';

const config = (endpoint: string) => `version: 1
providers:
  mock: { type: mock }
endpoints:
  ${endpoint}:
    targets: [{ provider: mock, model: m }]
`;

/** Keeps log lines for assertions. */
class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
  child(): Logger {
    return this;
  }
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('FileConfigSource', () => {
  let dir: string;
  let path: string;
  let source: FileConfigSource | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-config-'));
    path = join(dir, 'aigw.yaml');
    writeFileSync(path, config('chat'));
  });
  afterEach(() => {
    source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start from an invalid file, listing every problem', () => {
    writeFileSync(path, 'version: 2\nendpoints: { x: { targets: [] } }\n');
    expect(() => new FileConfigSource(path)).toThrow(ConfigError);
  });

  it('applies an edited file when it changes on disk, and reports the change', async () => {
    const changes: ConfigChange[] = [];
    source = new FileConfigSource(path, { debounceMs: 20 }).watch();
    source.onChange((change) => changes.push(change));
    const before = source.current();
    writeFileSync(path, config('chat2'));
    await until(() => changes.length > 0);
    expect(source.current().endpoints.has('chat2')).toBe(true);
    expect(source.current().endpoints.has('chat')).toBe(false);
    expect(before.endpoints.has('chat')).toBe(true);
    expect(changes).toEqual([
      expect.objectContaining({ outcome: 'applied', issues: [], source: path }),
    ]);
    expect(changes[0]!.oldSha256).not.toBe(changes[0]!.newSha256);
  });

  it('follows a file replaced by rename, the way editors and ConfigMaps write', async () => {
    source = new FileConfigSource(path, { debounceMs: 20 }).watch();
    const staged = join(dir, '.aigw.yaml.tmp');
    writeFileSync(staged, config('renamed'));
    renameSync(staged, path);
    await until(() => source!.current().endpoints.has('renamed'));
  });

  it('keeps serving the old config when the new file is invalid, and logs every error path', async () => {
    const logger = new RecordingLogger();
    const changes: ConfigChange[] = [];
    source = new FileConfigSource(path, { debounceMs: 20, logger }).watch();
    source.onChange((change) => changes.push(change));
    const inForce = source.current();
    writeFileSync(
      path,
      'version: 1\nendpoints:\n  chat:\n    targets: [{ provider: nope, model: m }]\n  bad name!: {}\n',
    );
    await until(() => changes.length > 0);
    expect(source.current()).toBe(inForce);
    expect(changes[0]).toMatchObject({ outcome: 'rejected' });
    expect(changes[0]!.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['endpoints.chat.targets.0.provider']),
    );
    const logged = logger.lines.find((line) => line.level === 'error');
    expect(logged?.message).toContain('rejected');
    expect(String(logged?.fields?.['errors'])).toContain('endpoints.chat.targets.0.provider');
    // The same bad file is not reported again; a good one applies.
    expect(source.reload()).toBeUndefined();
    writeFileSync(path, config('fixed'));
    await until(() => source!.current().endpoints.has('fixed'));
    expect(changes.map((change) => change.outcome)).toEqual(['rejected', 'applied']);
  });

  it('reloads on demand and ignores content that did not change', () => {
    source = new FileConfigSource(path);
    writeFileSync(path, config('polled'));
    expect(source.reload()?.outcome).toBe('applied');
    expect(source.current().endpoints.has('polled')).toBe(true);
    expect(source.reload()).toBeUndefined();
  });
});
