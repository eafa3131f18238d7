import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressDeniedError, EgressGuard, isInternalAddress } from './egress-guard';

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
  ])('%s is internal', (address) => expect(isInternalAddress(address)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(isInternalAddress(address)).toBe(false),
  );
});

describe('EgressGuard', () => {
  it('refuses internal literals and localhost unless allow-listed', () => {
    const guard = new EgressGuard([]);
    expect(() => guard.checkUrl('http://127.0.0.1:8080/v1')).toThrow(EgressDeniedError);
    expect(() => guard.checkUrl('http://[::1]:8080/v1')).toThrow(EgressDeniedError);
    expect(() => guard.checkUrl('http://169.254.169.254/latest/meta-data')).toThrow(
      /allow_private/,
    );
    expect(() => guard.checkUrl('http://localhost:9000')).toThrow(EgressDeniedError);
    expect(() => guard.checkUrl('https://api.openai.com/v1')).not.toThrow();

    const allowing = new EgressGuard(['127.0.0.0/8', '10.0.0.5', 'models.internal']);
    expect(() => allowing.checkUrl('http://127.0.0.1:8080/v1')).not.toThrow();
    expect(() => allowing.checkUrl('http://localhost:8080/v1')).not.toThrow();
    expect(allowing.allows('x', '10.0.0.5')).toBe(true);
    expect(allowing.allows('x', '10.0.0.6')).toBe(false);
    expect(allowing.allows('models.internal', '10.9.9.9')).toBe(true);
  });

  describe('at connect time, after DNS', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_request, response) => response.end('reached'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const get = async (guard: EgressGuard): Promise<string> => {
      // A name, not a literal: the check happens on what it resolves to.
      const pool = new Pool(`http://localhost:${port}`, { connect: { lookup: guard.lookup } });
      try {
        const response = await pool.request({ path: '/', method: 'GET' });
        return await response.body.text();
      } finally {
        await pool.close();
      }
    };

    it('refuses a host name that resolves to loopback', async () => {
      await expect(get(new EgressGuard([]))).rejects.toThrow(/egress to localhost/);
    });

    it('connects when the range is allowed', async () => {
      await expect(get(new EgressGuard(['127.0.0.1', '::1']))).resolves.toBe('reached');
    });
  });
});
