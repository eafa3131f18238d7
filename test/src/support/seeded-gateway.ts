import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { expect } from 'vitest';
import { freePort, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './admin-sql';
import { eventually, startNodeProcess } from './child-process';
import { gatewayConfigYaml, upstreamKey } from './gateway-config';
import { testKeys } from './gateway-keys';

/** The user messages of the five requests a seeded gateway serves. */
export interface SeedPrompts {
  /** alice's two calls on `chat` (each falls back from the dead target). */
  readonly chat: readonly [string, string];
  /** alice's call on `logged` (PII masked, payload logged). */
  readonly logged: string;
  /** alice's call on `strict`, blocked by its guardrail (400). */
  readonly strict: string;
  /** bob's call on his private endpoint (mock provider). */
  readonly bob: string;
}

/** A standalone gateway holding five known requests in ClickHouse. */
export interface SeededGateway {
  readonly baseUrl: string;
  /** The request id of the `logged` call. */
  readonly loggedRequestId: string;
  close(): Promise<void>;
}

/**
 * Starts a real standalone gateway (embedded log + chDB) with the test config plus
 * `extraEndpointsYaml` (which must define `logged`), sends five requests through it with the
 * OpenAI SDK (alice tagged team=search, bob team=ads), and waits until all five are rows.
 */
export async function startSeededGateway(options: {
  readonly tmpPrefix: string;
  readonly extraEndpointsYaml: string;
  readonly prompts: SeedPrompts;
}): Promise<SeededGateway> {
  const upstream = await startOpenAiMock({ apiKey: upstreamKey });
  const dataDir = mkdtempSync(join(tmpdir(), options.tmpPrefix));
  const port = await freePort();
  const configPath = join(dataDir, 'aigw.yaml');
  writeFileSync(
    configPath,
    gatewayConfigYaml({
      httpPort: port,
      dataDir: join(dataDir, 'data'),
      upstreamBaseUrl: upstream.baseUrl,
      deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
      extraEndpointsYaml: options.extraEndpointsYaml,
    }),
  );
  const gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
    AIGW_CONFIG: configPath,
    E2E_UPSTREAM_KEY: upstreamKey,
  });
  const close = async (): Promise<void> => {
    await gateway.stop();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
      throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
    });

    const client = (key: string, tags: string) =>
      new OpenAI({
        baseURL: `${baseUrl}/v1`,
        apiKey: key,
        maxRetries: 0,
        defaultHeaders: { 'x-aigw-tags': tags },
      });
    const alice = client(testKeys.alice, 'team=search');
    const bob = client(testKeys.bob, 'team=ads');
    const ask = (content: string) => [{ role: 'user' as const, content }];
    const { prompts } = options;
    await alice.chat.completions.create({ model: 'chat', messages: ask(prompts.chat[0]) });
    await alice.chat.completions.create({ model: 'chat', messages: ask(prompts.chat[1]) });
    const logged = await alice.chat.completions
      .create({ model: 'logged', messages: ask(prompts.logged) })
      .withResponse();
    await expect(
      alice.chat.completions.create({ model: 'strict', messages: ask(prompts.strict) }),
    ).rejects.toMatchObject({ status: 400 });
    await bob.chat.completions.create({ model: 'private', messages: ask(prompts.bob) });

    await eventually('five requests in ClickHouse', async () => {
      const [row] = await adminSql<{ n: number }>(
        baseUrl,
        testKeys.admin,
        'SELECT toUInt32(count()) AS n FROM requests FINAL',
      );
      return row && row.n >= 5 ? row : undefined;
    });
    return {
      baseUrl,
      loggedRequestId: logged.response.headers.get('x-request-id') ?? '',
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
