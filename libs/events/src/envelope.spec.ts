import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('createEnvelope service instance', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('names the replica from AIGW_INSTANCE_ID on every event', async () => {
    vi.stubEnv('AIGW_INSTANCE_ID', 'judge-2');
    const { sampleEnvelope } = await import('./event-fixtures.test-support.js');
    expect(sampleEnvelope('r1').serviceInstance).toBe('judge-2');
    expect(sampleEnvelope('r2').serviceInstance).toBe('judge-2');
  });

  it('falls back to hostname-pid when no id is set', async () => {
    vi.stubEnv('AIGW_INSTANCE_ID', '');
    const { sampleEnvelope } = await import('./event-fixtures.test-support.js');
    expect(sampleEnvelope('r1').serviceInstance).toBe(`${hostname()}-${process.pid}`);
  });
});
