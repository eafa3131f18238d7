import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes JSON lines and never the value of a secret-looking field', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    createLogger({ service: 'test' }).info('hello', {
      authorization: 'Bearer sk-live-123',
      nested: { apiKey: 'sk-live-456', ok: 1 },
    });
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 'info', msg: 'hello', service: 'test' });
    expect(lines[0]).not.toContain('sk-live');
    expect(record.nested.ok).toBe(1);
  });
});
