import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenAiMock } from './openai-mock/openai-mock.types';
import { startOpenAiMock } from './openai-mock/openai-mock-server';
import { freePort, waitForHttp } from './ports';

describe('freePort', () => {
  it('returns a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));

    expect(port).toBeGreaterThan(0);
  });
});

describe('waitForHttp', () => {
  let mock: OpenAiMock | undefined;
  afterEach(() => mock?.close());

  it('keeps polling through 5xx answers until the server is ready', async () => {
    mock = await startOpenAiMock();
    mock.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });

    await waitForHttp(`${mock.baseUrl}/models`, 2_000, 10);

    expect(mock.requests).toHaveLength(3);
  });

  it('counts a 404 as up', async () => {
    mock = await startOpenAiMock();

    await expect(waitForHttp(`${mock.baseUrl}/nothing-here`, 1_000)).resolves.toBeUndefined();
  });

  it('rejects after the timeout when nothing listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}/health`;
    const started = Date.now();

    await expect(waitForHttp(url, 300, 50)).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
