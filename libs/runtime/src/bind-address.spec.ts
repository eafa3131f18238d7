import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindAddress } from './grpc-service-main';

describe('bindAddress', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('binds every interface at the port of the configured address', () => {
    vi.stubEnv('AIGW_GRPC_BIND', '');
    expect(bindAddress('guardrail-judge:50052')).toBe('0.0.0.0:50052');
  });

  it('binds one replica, the first listed, when the address lists several', () => {
    vi.stubEnv('AIGW_GRPC_BIND', '');
    expect(bindAddress('127.0.0.1:6001,127.0.0.1:6002')).toBe('0.0.0.0:6001');
  });

  it('lets AIGW_GRPC_BIND give each replica its own port', () => {
    vi.stubEnv('AIGW_GRPC_BIND', '0.0.0.0:6002');
    expect(bindAddress('127.0.0.1:6001,127.0.0.1:6002')).toBe('0.0.0.0:6002');
  });
});
