import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '@aigw/testing';
import { repoRoot } from './child-process';

const run = promisify(execFile);

/**
 * A Kafka broker of one test only (own ports, own data dir), started with the recipe of
 * deploy/local/start-kafka.sh, so it can be stopped and restarted without touching the shared one.
 */
export class PrivateKafka {
  constructor(
    private readonly env: Record<string, string>,
    readonly brokers: string,
  ) {}

  static async start(dir: string): Promise<PrivateKafka> {
    const port = await freePort();
    const env = {
      AIGW_LOCAL_DIR: dir,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    };
    const kafka = new PrivateKafka(env, `127.0.0.1:${port}`);
    await kafka.up();
    return kafka;
  }

  async up(): Promise<void> {
    await run('bash', ['deploy/local/start-kafka.sh'], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env },
    });
  }

  /** Stops this broker only (pid file under its own AIGW_LOCAL_DIR). */
  async down(kill = false): Promise<void> {
    await run('bash', ['deploy/local/stop-kafka.sh', ...(kill ? ['--kill'] : [])], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env },
    });
  }
}
