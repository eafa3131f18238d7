import { registerSecrets } from './support/secret-scan';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { upstreamKey } from './support/gateway-config';
import { testKeys, sha256 } from './support/gateway-keys';
import { assertKafkaReachable, kafkaBrokers, readTopicUntil } from './support/kafka-reader';

const redisUrl = process.env['AIGW_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisPrefix = `aigw-e2e-keys-${Date.now().toString(36)}:`;

/**
 * A cluster config whose ingress talks to one policy replica; keys and Responses API
 * conversations shared through Redis.
 */
function configYaml(
  httpPort: number,
  policyPort: number,
  routerPort: number,
  dataDir: string,
  upstreamUrl: string,
): string {
  return `version: 1
runtime:
  # The test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http: { host: 127.0.0.1, port: ${httpPort} }
  data_dir: ${dataDir}
  kafka: { brokers: ${kafkaBrokers.join(',')} }
  redis: { url: ${redisUrl}, key_prefix: "${redisPrefix}" }
  services:
    policy: 127.0.0.1:${policyPort}
    provider_router: 127.0.0.1:${routerPort}
providers:
  mock: { type: mock }
  upstream: { type: openai, base_url: "${upstreamUrl}", api_key: "\${E2E_UPSTREAM_KEY}" }
endpoints:
  chat:
    targets: [{ provider: mock, model: mock-1 }]
    allow: { groups: [eng] }
  codex:
    targets: [{ provider: upstream, model: gpt-4o-mini }]
    allow: { groups: [eng] }
# Members of eng come only from created keys, so the group is declared on its own.
groups:
  eng: {}
principals:
  admin: { roles: [admin] }
keys:
  - { sha256: ${sha256(testKeys.admin)}, principal: admin }
`;
}

describe('state shared by replicas through Redis (cluster mode, real Redis and Kafka)', () => {
  let dir: string;
  let upstream: OpenAiMock;
  const processes: RunningProcess[] = [];
  const urls: string[] = [];
  const output = (): string => processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  const models = async (url: string, key: string): Promise<number> =>
    (await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

  beforeAll(async () => {
    await assertKafkaReachable();
    const redis = new Redis(redisUrl);
    await redis.ping().finally(() => redis.disconnect());
    dir = mkdtempSync(join(tmpdir(), 'aigw-keys-cluster-'));
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    for (const replica of ['a', 'b']) {
      const httpPort = await freePort();
      const policyPort = await freePort();
      const routerPort = await freePort();
      const configPath = join(dir, `aigw-${replica}.yaml`);
      writeFileSync(
        configPath,
        configYaml(
          httpPort,
          policyPort,
          routerPort,
          join(dir, `data-${replica}`),
          upstream.baseUrl,
        ),
      );
      const env = {
        AIGW_CONFIG: configPath,
        AIGW_INSTANCE_ID: `keys-e2e-${replica}`,
        E2E_UPSTREAM_KEY: upstreamKey,
      };
      processes.push(startNodeProcess(`policy-${replica}`, 'services/policy/dist/main.js', env));
      processes.push(
        startNodeProcess(`router-${replica}`, 'services/provider-router/dist/main.js', env),
      );
      processes.push(startNodeProcess(`ingress-${replica}`, 'services/ingress/dist/main.js', env));
      urls.push(`http://127.0.0.1:${httpPort}`);
    }
    for (const url of urls) {
      await waitForHttp(`${url}/readyz`, 90_000).catch((error: unknown) => {
        throw new Error(`ingress did not start: ${String(error)}\n${output()}`);
      });
      await eventually('policy to answer', async () =>
        (await models(url, testKeys.admin)) === 200 ? true : undefined,
      );
    }
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await upstream?.close();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a key created through one replica works on the other; revoked through one, the other refuses it within 1 s', async () => {
    const [a, b] = urls as [string, string];
    const created = await fetch(`${a}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testKeys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ principal: 'hana', groups: ['eng'] }),
    });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    registerSecrets(key);
    expect(await models(b, key)).toBe(200);
    // Asked again, so replica b serves it from its cache when the revocation happens.
    expect(await models(b, key)).toBe(200);

    const revoked = await fetch(`${a}/admin/keys/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${testKeys.admin}` },
    });
    expect(revoked.status).toBe(200);
    await eventually(
      'replica b to refuse the revoked key',
      async () => ((await models(b, key)) === 401 ? true : undefined),
      1000,
      25,
    );
    expect(await models(a, key)).toBe(401);

    const audit = await readTopicUntil(
      'aigw.audit.v1',
      (event) => event.value['type'] === 'key.changed' && JSON.stringify(event.value).includes(id),
      (events) => events.length >= 2,
    );
    // Different request ids, so possibly different partitions: compare without order.
    expect(
      audit.map((event) => (event.value['keyChanged'] as { action: string }).action).sort(),
    ).toEqual(['created', 'revoked']);
    for (const event of audit) {
      expect(event.value['principal']).toMatchObject({ id: 'admin' });
      expect(JSON.stringify(event.value)).not.toContain(key);
      expect(JSON.stringify(event.value)).not.toContain(sha256(key));
    }
    for (const process of processes) expect(process.output()).not.toContain(key);
  });

  it('a Responses API conversation created through one ingress replica continues through the other', async () => {
    const [a, b] = urls as [string, string];
    const keyFor = async (principal: string): Promise<string> => {
      const created = await fetch(`${a}/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testKeys.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ principal, groups: ['eng'] }),
      });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as { key: string };
      registerSecrets(key);
      return key;
    };
    const ada = await keyFor('ada');
    const eve = await keyFor('eve');
    const respond = (url: string, key: string, body: Record<string, unknown>) =>
      fetch(`${url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'codex', ...body }),
      });

    const first = await respond(a, ada, { input: 'my name is Ada' });
    expect(first.status).toBe(200);
    const { id } = (await first.json()) as { id: string };
    const second = await respond(b, ada, { previous_response_id: id, input: 'what is my name?' });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ previous_response_id: id });
    const messages = upstream.chatRequests().at(-1)?.messages ?? [];
    expect(messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'my name is Ada'],
      ['assistant', 'echo: my name is Ada'],
      ['user', 'what is my name?'],
    ]);

    // Another principal cannot continue it, on either replica.
    for (const url of [a, b]) {
      const refused = await respond(url, eve, { previous_response_id: id, input: 'and mine?' });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { param: 'previous_response_id' } });
    }
  });
});
