import { describe, expect, it } from 'vitest';
import { grpcTarget } from './grpc-target';

describe('grpcTarget', () => {
  it('resolves one host:port through DNS, so every address of the name is balanced', () => {
    expect(grpcTarget('guardrail-judge:50052')).toBe('dns:///guardrail-judge:50052');
  });

  it('keeps an address that already names a scheme', () => {
    expect(grpcTarget('dns:///judge.svc:50052')).toBe('dns:///judge.svc:50052');
  });

  it('lists IPv4 replicas on several ports as one ipv4: target', () => {
    expect(grpcTarget('127.0.0.1:6001, 127.0.0.1:6002,127.0.0.2:6003')).toBe(
      'ipv4:127.0.0.1:6001,127.0.0.1:6002,127.0.0.2:6003',
    );
  });

  it('lists IPv6 replicas as one ipv6: target', () => {
    expect(grpcTarget('[::1]:6001,[::1]:6002')).toBe('ipv6:[::1]:6001,[::1]:6002');
  });

  it('rejects a list of names or of mixed families, which grpc-js cannot resolve', () => {
    expect(() => grpcTarget('judge-a:6001,judge-b:6002')).toThrow(/IPv4 or \[IPv6\]/);
    expect(() => grpcTarget('127.0.0.1:6001,[::1]:6002')).toThrow(/one family/);
  });
});
