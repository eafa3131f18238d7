import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizeOutcome,
  type AuthorizeRequest,
  type Envelope,
  PrincipalKind,
} from '@aigw/contracts';
import { type CompiledConfig, type ConfigSource, parseConfig } from '@aigw/config';
import { sha256Hex } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { describe, expect, it } from 'vitest';
import { FileApiKeyStore } from './identity/file-api-key-store';
import { IdentityResolver } from './identity/identity-resolver';
import { PolicyDecider } from './policy-decider';

const aliceKey = 'alice-key';
const botKey = 'bot-key';
const strangerKey = 'stranger-key';

const configYaml = `version: 1
providers:
  primary: { type: mock }
  backup: { type: mock }
endpoints:
  chat:
    targets:
      - { provider: primary, model: big-model, weight: 2 }
      - { provider: backup, model: small-model }
    guardrails: { request: [pii-mask], response: [pii-block] }
    allow: { groups: [developers] }
  batch:
    targets: [{ provider: backup, model: small-model }]
    allow: { principals: [ci-bot] }
  locked:
    targets: [{ provider: primary, model: big-model }]
principals:
  alice: { groups: [developers], roles: [admin] }
  ci-bot: { kind: service }
  stranger: { groups: [sales] }
keys:
  - { sha256: ${sha256Hex(aliceKey)}, principal: alice }
  - { sha256: ${sha256Hex(botKey)}, principal: ci-bot }
  - { sha256: ${sha256Hex(strangerKey)}, principal: stranger }
guardrails:
  pii-mask: { type: pii, action: mask }
  pii-block: { type: pii, action: block }
`;

/** Keeps every published envelope in memory. */
class CollectingPublisher implements EventPublisher {
  readonly envelopes: Envelope[] = [];

  publish(envelope: Envelope): void {
    this.envelopes.push(envelope);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

class SwappableConfigSource implements ConfigSource {
  constructor(public config: CompiledConfig) {}

  current(): CompiledConfig {
    return this.config;
  }
}

function setup(yaml = configYaml) {
  const events = new CollectingPublisher();
  const source = new SwappableConfigSource(parseConfig(yaml, 'policy.yaml', {}));
  const keys = new FileApiKeyStore(join(tmpdir(), `aigw-policy-spec-${process.pid}`, 'none.json'));
  const decider = new PolicyDecider(source, events, new IdentityResolver(source, keys));
  return { events, source, decider };
}

function request(key: string, endpoint: string): AuthorizeRequest {
  return {
    requestId: `req-${endpoint}`,
    traceId: 'trace-1',
    credentialSha256: sha256Hex(key),
    bearerToken: '',
    endpoint,
    operation: 'chat.completions',
    tags: { team: 'search' },
    estimatedPromptTokens: 0,
    promptTokensUpperBound: 0,
    stream: false,
  };
}

describe('PolicyDecider.authorize', () => {
  it('allows a principal by group, with the route plan in target order and the guardrails', async () => {
    const { decider } = setup();

    const response = await decider.authorize(request(aliceKey, 'chat'));

    expect(response.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED);
    expect(response.reason).toBe('');
    expect(response.principal).toMatchObject({ id: 'alice', groups: ['developers'] });
    expect(response.routePlan).toEqual({
      endpoint: 'chat',
      targets: [
        { provider: 'primary', model: 'big-model', weight: 2 },
        { provider: 'backup', model: 'small-model', weight: 1 },
      ],
    });
    expect(response.guardrailPlan).toEqual({ request: ['pii-mask'], response: ['pii-block'] });
  });

  it('allows a principal listed by name', async () => {
    const { decider } = setup();

    const response = await decider.authorize(request(botKey, 'batch'));

    expect(response.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED);
    expect(response.principal).toMatchObject({
      id: 'ci-bot',
      kind: PrincipalKind.PRINCIPAL_KIND_SERVICE,
    });
    expect(response.routePlan?.targets.map((target) => target.model)).toEqual(['small-model']);
  });

  it('denies a principal that is on neither allow-list, and gives no plan', async () => {
    const { decider } = setup();

    const byGroup = await decider.authorize(request(strangerKey, 'chat'));
    const byName = await decider.authorize(request(aliceKey, 'batch'));

    expect(byGroup).toEqual({
      outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED,
      reason: 'principal "stranger" may not use endpoint "chat"',
      principal: expect.objectContaining({ id: 'stranger' }),
      routePlan: undefined,
      guardrailPlan: undefined,
      reservation: '',
      maxOutputTokens: 0,
    });
    expect(byName.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED);
  });

  it('denies everyone, admins included, on an endpoint with empty allow-lists', async () => {
    const { decider } = setup();

    for (const key of [aliceKey, botKey, strangerKey]) {
      expect((await decider.authorize(request(key, 'locked'))).outcome).toBe(
        AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED,
      );
    }
  });

  it('answers unauthenticated for an unknown or missing key, before looking at the endpoint', async () => {
    const { decider } = setup();

    const unknown = await decider.authorize(request('not-a-key', 'chat'));
    const missing = await decider.authorize({ ...request(aliceKey, 'nope'), credentialSha256: '' });

    expect(unknown).toEqual({
      outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED,
      reason: 'unknown or missing key',
      principal: undefined,
      routePlan: undefined,
      guardrailPlan: undefined,
      reservation: '',
      maxOutputTokens: 0,
    });
    expect(missing.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED);
  });

  it('does not accept the raw key in place of its hash', async () => {
    const { decider } = setup();

    const response = await decider.authorize({
      ...request(aliceKey, 'chat'),
      credentialSha256: aliceKey,
    });

    expect(response.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED);
  });

  it('answers unknown endpoint, naming it, for a known principal', async () => {
    const { decider } = setup();

    const response = await decider.authorize(request(aliceKey, 'gpt-5'));

    expect(response.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT);
    expect(response.reason).toBe('no endpoint named "gpt-5"');
    expect(response.principal?.id).toBe('alice');
    expect(response.routePlan).toBeUndefined();
  });

  it('decides with the config in force at the time of the request', async () => {
    const { decider, source } = setup();
    expect((await decider.authorize(request(strangerKey, 'chat'))).outcome).toBe(
      AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED,
    );

    source.config = parseConfig(
      configYaml.replace('allow: { groups: [developers] }', 'allow: { groups: [sales] }'),
      'policy.yaml',
      {},
    );

    expect((await decider.authorize(request(strangerKey, 'chat'))).outcome).toBe(
      AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED,
    );
    expect((await decider.authorize(request(aliceKey, 'chat'))).outcome).toBe(
      AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED,
    );
  });
});

describe('policy.decided events', () => {
  it('publishes one event per decision with its name, the principal and the request context', async () => {
    const { decider, events } = setup();

    await decider.authorize(request(aliceKey, 'chat'));
    await decider.authorize(request(strangerKey, 'chat'));
    await decider.authorize(request('not-a-key', 'chat'));
    await decider.authorize(request(aliceKey, 'gpt-5'));

    expect(events.envelopes).toHaveLength(4);
    for (const envelope of events.envelopes) {
      expect(envelope).toMatchObject({
        type: 'policy.decided',
        service: 'policy',
        traceId: 'trace-1',
        tags: { team: 'search' },
        schemaVersion: 1,
      });
    }
    expect(
      events.envelopes.map((envelope) => [
        envelope.payload?.$case === 'policyDecided' ? envelope.payload.value.decision : '',
        envelope.principal?.id,
        envelope.endpoint,
        envelope.requestId,
      ]),
    ).toEqual([
      ['allowed', 'alice', 'chat', 'req-chat'],
      ['denied', 'stranger', 'chat', 'req-chat'],
      ['unauthenticated', undefined, 'chat', 'req-chat'],
      ['unknown_endpoint', 'alice', 'gpt-5', 'req-gpt-5'],
    ]);
  });

  it('records the chosen targets for an allowed request and the reason for a refusal', async () => {
    const { decider, events } = setup();

    await decider.authorize(request(aliceKey, 'chat'));
    await decider.authorize(request(strangerKey, 'chat'));

    const [allowed, denied] = events.envelopes.map((envelope) =>
      envelope.payload?.$case === 'policyDecided' ? envelope.payload.value : undefined,
    );
    expect(allowed).toMatchObject({
      decision: 'allowed',
      reason: '',
      targets: ['primary/big-model', 'backup/small-model'],
    });
    expect(allowed!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(denied).toMatchObject({
      decision: 'denied',
      reason: 'principal "stranger" may not use endpoint "chat"',
      targets: [],
    });
  });
});

describe('PolicyDecider.listEndpoints', () => {
  it('lists only the endpoints the principal may use', async () => {
    const { decider, source } = setup();
    const created = Math.floor(source.config.loadedAt.getTime() / 1000);

    const alice = await decider.listEndpoints({
      credentialSha256: sha256Hex(aliceKey),
      bearerToken: '',
    });
    const bot = await decider.listEndpoints({
      credentialSha256: sha256Hex(botKey),
      bearerToken: '',
    });
    const stranger = await decider.listEndpoints({
      credentialSha256: sha256Hex(strangerKey),
      bearerToken: '',
    });

    expect(alice).toEqual({
      authenticated: true,
      endpoints: [{ name: 'chat', kind: 'chat', created }],
    });
    expect(bot.endpoints.map((endpoint) => endpoint.name)).toEqual(['batch']);
    expect(stranger).toEqual({ authenticated: true, endpoints: [] });
  });

  it('lists nothing for an unknown key', async () => {
    const { decider, events } = setup();

    expect(
      await decider.listEndpoints({ credentialSha256: sha256Hex('guess'), bearerToken: '' }),
    ).toEqual({
      authenticated: false,
      endpoints: [],
    });
    expect(events.envelopes).toEqual([]);
  });
});

describe('PolicyDecider.authenticate', () => {
  it('returns the principal of a known key', async () => {
    const { decider } = setup();

    expect(
      await decider.authenticate({ credentialSha256: sha256Hex(aliceKey), bearerToken: '' }),
    ).toEqual({
      authenticated: true,
      principal: {
        id: 'alice',
        kind: PrincipalKind.PRINCIPAL_KIND_USER,
        groups: ['developers'],
        roles: ['admin'],
        tags: {},
      },
      reason: '',
    });
  });

  it('rejects an unknown key without a principal', async () => {
    const { decider } = setup();

    expect(
      await decider.authenticate({ credentialSha256: sha256Hex('guess'), bearerToken: '' }),
    ).toEqual({
      authenticated: false,
      principal: undefined,
      reason: 'unknown or missing key',
    });
  });
});

describe('PolicyDecider endpoint kinds', () => {
  const kindsYaml = configYaml.replace(
    '\nprincipals:',
    `
  vectors:
    kind: embeddings
    targets: [{ provider: primary, model: embed-model }]
    allow: { groups: [developers] }
principals:`,
  );

  it('serves each endpoint only for the operation of its kind', async () => {
    const { decider } = setup(kindsYaml);
    const embeddings = (endpoint: string): AuthorizeRequest => ({
      ...request(aliceKey, endpoint),
      operation: 'embeddings',
    });

    expect((await decider.authorize(embeddings('vectors'))).outcome).toBe(
      AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED,
    );
    const chatOnEmbeddings = await decider.authorize(request(aliceKey, 'vectors'));
    expect(chatOnEmbeddings.outcome).toBe(AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT);
    expect(chatOnEmbeddings.reason).toBe(
      'endpoint "vectors" serves embeddings, not chat.completions',
    );
    expect(chatOnEmbeddings.routePlan).toBeUndefined();
    expect((await decider.authorize(embeddings('chat'))).outcome).toBe(
      AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT,
    );
  });

  it('lists endpoints of both kinds', async () => {
    const { decider } = setup(kindsYaml);

    const listed = await decider.listEndpoints({
      credentialSha256: sha256Hex(aliceKey),
      bearerToken: '',
    });

    expect(listed.endpoints.map(({ name, kind }) => ({ name, kind }))).toEqual([
      { name: 'chat', kind: 'chat' },
      { name: 'vectors', kind: 'embeddings' },
    ]);
  });
});
