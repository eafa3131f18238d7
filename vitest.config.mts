import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source, so a unit run needs no build.
const alias: Record<string, string> = {};
for (const group of ['libs', 'services']) {
  for (const dir of readdirSync(resolve(import.meta.dirname, group))) {
    const entry = resolve(import.meta.dirname, group, dir, 'src/index.ts');
    if (existsSync(entry)) alias[`@aigw/${dir}`] = entry;
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['libs/*/src/**/*.int-spec.ts', 'services/*/src/**/*.int-spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          // Collects every process's output; after the run, scans it and Kafka for secrets.
          globalSetup: ['test/src/support/secret-scan.global.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
